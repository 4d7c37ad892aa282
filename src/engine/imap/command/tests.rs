use super::*;
use crate::engine::imap::fetch::Section;
use crate::engine::imap::flags::StoreMode;
use crate::engine::imap::search::SearchKey;

fn parse(text: &[u8]) -> CommandBody {
    match Command::parse(text) {
        Ok(c) => c.body,
        Err(e) => panic!("{} failed: {e}", String::from_utf8_lossy(text)),
    }
}

#[test]
fn simple_commands_and_tags() {
    let c = Command::parse(b"a001 capability").unwrap();
    assert_eq!(c.tag, "a001");
    assert_eq!(c.body, CommandBody::Capability);
    assert_eq!(parse(b"x LOGOUT"), CommandBody::Logout);
    assert_eq!(
        parse(b"x uid expunge 3:5").to_owned(),
        CommandBody::Expunge(Some(SequenceSet::parse(&mut Reader::new(b"3:5")).unwrap()))
    );
    assert_eq!(parse(b"x EXPUNGE"), CommandBody::Expunge(None));
}

#[test]
fn login_with_quoted_and_literal_arguments() {
    assert_eq!(
        parse(b"a LOGIN bob@southbay.test \"build er\""),
        CommandBody::Login {
            username: "bob@southbay.test".into(),
            password: "build er".into()
        }
    );
    assert_eq!(
        parse(b"a LOGIN {3}\r\nbob {7+}\r\nbuilder"),
        CommandBody::Login {
            username: "bob".into(),
            password: "builder".into()
        }
    );
    assert_eq!(
        parse(b"a AUTHENTICATE plain AGJvYgBidWlsZGVy"),
        CommandBody::Authenticate {
            mechanism: "PLAIN".into(),
            initial_response: Some(b"AGJvYgBidWlsZGVy".to_vec())
        }
    );
}

#[test]
fn append_with_flags_date_and_literal() {
    let body = parse(
        b"A003 APPEND saved-messages (\\Seen) \"02-Mar-2026 09:00:00 +0000\" {7}\r\nHi\r\n\r\nx",
    );
    assert_eq!(
        body,
        CommandBody::Append {
            mailbox: "saved-messages".into(),
            flags: vec![Flag::Seen],
            date: Some(crate::engine::time::EPOCH_UNIX_SECONDS),
            message: b"Hi\r\n\r\nx".to_vec(),
        }
    );
    assert!(
        matches!(parse(b"a APPEND INBOX {0+}\r\n"), CommandBody::Append { ref flags, date: None, .. } if flags.is_empty())
    );
}

#[test]
fn uid_fetch_store_copy_move_search() {
    let CommandBody::Fetch {
        set,
        attributes,
        uid,
    } = parse(b"a UID FETCH 4:* (UID FLAGS BODY.PEEK[1.MIME])")
    else {
        panic!("fetch")
    };
    assert!(uid && set.contains(9, 9) && !set.contains(3, 9));
    assert_eq!(attributes.len(), 3);
    assert!(
        matches!(&attributes[2], FetchAttribute::BodySection { section: Section { part, .. }, peek: true, .. } if part == &[1])
    );
    let CommandBody::Store { action, uid, .. } = parse(b"a STORE 1 +FLAGS.SILENT (\\Deleted)")
    else {
        panic!("store")
    };
    assert!(!uid && action.silent && action.mode == StoreMode::Add);
    assert!(
        matches!(parse(b"a UID MOVE 1:2 Trash"), CommandBody::Move { uid: true, ref mailbox, .. } if mailbox == "Trash")
    );
    assert!(
        matches!(parse(b"a COPY 1 \"Sent Items\""), CommandBody::Copy { uid: false, ref mailbox, .. } if mailbox == "Sent Items")
    );
    let CommandBody::Search {
        criteria,
        uid: true,
    } = parse(b"a UID SEARCH UNSEEN")
    else {
        panic!("search")
    };
    assert_eq!(criteria.key, SearchKey::Unflagged(Flag::Seen));
}

#[test]
fn list_status_enable_id() {
    assert_eq!(
        parse(b"a LIST \"\" *"),
        CommandBody::List {
            reference: String::new(),
            patterns: vec!["*".into()],
            options: ListOptions::default()
        }
    );
    let CommandBody::List { patterns, .. } = parse(b"a LIST \"\" (Sent \"Drafts/%\")") else {
        panic!("list")
    };
    assert_eq!(patterns, ["Sent", "Drafts/%"]);
    // RFC 5258 3: RECURSIVEMATCH alone (or with REMOTE only) is an error.
    assert!(Command::parse(b"a LIST (RECURSIVEMATCH) \"\" *").is_err());
    assert!(Command::parse(b"a LIST (RECURSIVEMATCH REMOTE) \"\" *").is_err());
    let CommandBody::List { options, .. } = parse(b"a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" *") else {
        panic!("list")
    };
    assert!(options.subscribed_only && options.recursive_match);
    let CommandBody::List { options, .. } =
        parse(b"a LIST (SPECIAL-USE) \"\" \"*\" RETURN (SUBSCRIBED STATUS (MESSAGES))")
    else {
        panic!("list")
    };
    assert!(options.special_use_only && options.return_subscribed);
    assert_eq!(options.return_status, [StatusItem::Messages]);
    assert_eq!(
        parse(b"a STATUS INBOX (MESSAGES UIDNEXT unseen)"),
        CommandBody::Status {
            mailbox: "INBOX".into(),
            items: vec![
                StatusItem::Messages,
                StatusItem::UidNext,
                StatusItem::Unseen
            ]
        }
    );
    assert_eq!(
        parse(b"a ENABLE imap4rev2 UTF8=ACCEPT"),
        CommandBody::Enable(vec!["IMAP4REV2".into(), "UTF8=ACCEPT".into()])
    );
    assert_eq!(
        parse(b"a ID (\"name\" \"curl\" \"version\" NIL)"),
        CommandBody::Id(Some(vec![
            ("name".into(), Some("curl".into())),
            ("version".into(), None)
        ]))
    );
    assert_eq!(parse(b"a ID NIL"), CommandBody::Id(None));
}

#[test]
fn errors_keep_tag_and_name() {
    assert_eq!(Command::parse(b""), Err(CommandError::NoTag));
    assert_eq!(Command::parse(b"+ go"), Err(CommandError::NoTag));
    assert_eq!(
        Command::parse(b"a1 FROB x"),
        Err(CommandError::Unknown {
            tag: "a1".into(),
            name: "FROB".into()
        })
    );
    assert_eq!(
        Command::parse(b"a1 UID NOOP"),
        Err(CommandError::Unknown {
            tag: "a1".into(),
            name: "UID NOOP".into()
        })
    );
    assert!(matches!(
        Command::parse(b"a  NOOP"),
        Err(CommandError::Unknown { .. })
    ));
    let Err(CommandError::Syntax { tag, name, .. }) = Command::parse(b"t uid fetch x FLAGS") else {
        panic!("syntax error")
    };
    assert_eq!((tag.as_str(), name.as_str()), ("t", "UID FETCH"));
    for bad in [
        &b"a SELECT"[..],
        b"a NOOP extra",
        b"a LOGIN bob",
        b"a FETCH 1 (FLAGS",
        b"a APPEND INBOX {5}\r\nabc",
        b"a STORE 1 FLAGS (\\Nope)",
    ] {
        assert!(
            matches!(Command::parse(bad), Err(CommandError::Syntax { .. })),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}
