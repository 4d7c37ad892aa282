use super::*;

fn msg(subject: &str) -> Message {
    Message::from_bytes(format!("Subject: {subject}\r\n\r\nHello\r\n").into_bytes())
}

fn flags(list: &[Flag]) -> Flags {
    list.iter().cloned().collect()
}

fn t(secs: u64) -> VirtualTime {
    VirtualTime::from_secs(secs)
}

#[test]
fn new_account_has_inbox_and_special_use_folders_all_subscribed() {
    let mut store = MailStore::default();
    let list = store.list("Bob@southbay.test");
    let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["INBOX", "Drafts", "Sent", "Junk", "Trash"]);
    let uses: Vec<Option<&str>> = list
        .iter()
        .map(|e| e.special_use.map(SpecialUse::attribute))
        .collect();
    assert_eq!(
        uses,
        [
            None,
            Some("\\Drafts"),
            Some("\\Sent"),
            Some("\\Junk"),
            Some("\\Trash")
        ]
    );
    assert!(list.iter().all(|e| e.subscribed && !e.has_children));
    // Each folder its own UIDVALIDITY, from the counter.
    let validities: Vec<u32> = ["INBOX", "Drafts", "Sent", "Junk", "Trash"]
        .iter()
        .map(|n| {
            store
                .status("bob@southbay.test", n)
                .map(|s| s.uid_validity.0)
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(validities, [1, 2, 3, 4, 5]);
    assert_eq!(
        store
            .account("bob@southbay.test")
            .and_then(|a| a.special(SpecialUse::Sent))
            .map(Folder::name),
        Some("Sent")
    );
}

#[test]
fn deliver_gives_ascending_uids_and_keeps_the_old_api() {
    let mut store = MailStore::default();
    assert_eq!(store.deliver("bob@southbay.test", msg("one"), t(5)), Uid(1));
    assert_eq!(store.deliver("BOB@southbay.test", msg("two"), t(6)), Uid(2));
    let messages = store.messages("bob@southbay.test");
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].folder, "INBOX");
    assert_eq!(
        messages[1].message.header("Subject").as_deref(),
        Some("two")
    );
    assert_eq!(messages[1].internal_date, t(6).into());
    assert!(messages[0].flags.is_empty());
    let all: Vec<(&str, usize)> = store.all().map(|(u, m)| (u, m.len())).collect();
    assert_eq!(all, [("bob@southbay.test", 2)]);
    assert!(store.messages("nobody@southbay.test").is_empty());
    let status = store.status("bob@southbay.test", "inbox").expect("INBOX");
    assert_eq!(
        (status.messages, status.unseen, status.uid_next),
        (2, 2, Uid(3))
    );
}

#[test]
fn uids_are_never_reused_after_expunge() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    for i in 0..3 {
        store.deliver(u, msg(&format!("m{i}")), t(i));
    }
    store
        .set_flags(u, INBOX, Uid(3), FlagChange::Add, &flags(&[Flag::Deleted]))
        .expect("flag");
    assert_eq!(store.expunge(u, INBOX), Ok(vec![Uid(3)]));
    assert_eq!(store.deliver(u, msg("m3"), t(9)), Uid(4));
    let uids: Vec<u32> = store.messages(u).iter().map(|m| m.uid.0).collect();
    assert_eq!(uids, [1, 2, 4]);
}

#[test]
fn set_flags_replace_add_remove_and_modseq() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    store.deliver(u, msg("a"), t(1));
    let before = store
        .status(u, INBOX)
        .map(|s| s.highest_modseq)
        .unwrap_or(0);
    let seen = flags(&[Flag::Seen]);
    assert_eq!(
        store.set_flags(u, INBOX, Uid(1), FlagChange::Add, &seen),
        Ok(true)
    );
    assert_eq!(
        store.set_flags(u, INBOX, Uid(1), FlagChange::Add, &seen),
        Ok(false)
    );
    let work = Flag::keyword("$Work").expect("atom");
    store
        .set_flags(
            u,
            INBOX,
            Uid(1),
            FlagChange::Replace,
            &flags(&[Flag::Flagged, work.clone()]),
        )
        .expect("replace");
    store
        .set_flags(
            u,
            INBOX,
            Uid(1),
            FlagChange::Remove,
            &flags(&[Flag::Flagged]),
        )
        .expect("remove");
    let folder = store.folder(u, INBOX).expect("INBOX");
    let m = folder.get(Uid(1)).expect("message");
    assert_eq!(flag_list(&m.flags), "($Work)");
    assert!(m.modseq > before && m.modseq == folder.highest_modseq());
    assert_eq!(
        store.set_flags(u, INBOX, Uid(7), FlagChange::Add, &seen),
        Err(StoreError::NoSuchMessage(Uid(7)))
    );
    assert_eq!(store.status(u, INBOX).map(|s| s.unseen), Ok(1));
}

#[test]
fn flag_parsing() {
    assert_eq!(Flag::parse("\\SEEN"), Some(Flag::Seen));
    assert_eq!(Flag::parse("\\Foo"), None);
    assert_eq!(
        Flag::parse("$Forwarded"),
        Some(Flag::Keyword("$Forwarded".into()))
    );
    assert_eq!(Flag::parse("two words"), None);
    let all = flags(&[
        Flag::Draft,
        Flag::Seen,
        Flag::Keyword("x".into()),
        Flag::Deleted,
        Flag::Answered,
        Flag::Flagged,
    ]);
    assert_eq!(
        flag_list(&all),
        "(\\Seen \\Answered \\Flagged \\Deleted \\Draft x)"
    );
}

#[test]
fn copy_keeps_flags_and_date_and_move_removes_the_original() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    store.deliver(u, msg("a"), t(1));
    store.deliver(u, msg("b"), t(2));
    store
        .set_flags(u, INBOX, Uid(2), FlagChange::Add, &flags(&[Flag::Seen]))
        .expect("flag");
    store.create_folder(u, "Archive").expect("create");
    assert_eq!(
        store.copy(u, INBOX, &[Uid(2), Uid(9)], "Archive"),
        Ok(vec![(Uid(2), Uid(1))])
    );
    let copied = store
        .folder(u, "Archive")
        .and_then(|f| f.get(Uid(1)))
        .expect("copy");
    assert!(copied.flags.contains(&Flag::Seen));
    assert_eq!(copied.internal_date, t(2).into());
    assert_eq!(
        store.move_messages(u, INBOX, &[Uid(1)], "Trash"),
        Ok(vec![(Uid(1), Uid(1))])
    );
    assert_eq!(store.status(u, INBOX).map(|s| s.messages), Ok(1));
    assert_eq!(store.status(u, "Trash").map(|s| s.messages), Ok(1));
    assert_eq!(
        store.copy(u, INBOX, &[Uid(2)], "Nowhere"),
        Err(StoreError::NoSuchFolder("Nowhere".into()))
    );
}

#[test]
fn append_needs_an_existing_folder() {
    let mut store = MailStore::default();
    let u = "alice@northwind.test";
    let uid = store.append(u, "Sent", msg("sent"), flags(&[Flag::Seen]), t(3));
    assert_eq!(uid, Ok(Uid(1)));
    assert_eq!(
        store.append(u, "Outbox", msg("x"), Flags::new(), t(3)),
        Err(StoreError::NoSuchFolder("Outbox".into()))
    );
}

#[test]
fn create_delete_rename_folders() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    store
        .create_folder(u, "Projects/2026")
        .expect("create with parent");
    assert_eq!(
        store.create_folder(u, "Projects"),
        Err(StoreError::AlreadyExists("Projects".into()))
    );
    assert_eq!(
        store.create_folder(u, "a//b"),
        Err(StoreError::BadName("a//b".into()))
    );
    assert_eq!(
        store.create_folder(u, "inbox"),
        Err(StoreError::AlreadyExists("INBOX".into()))
    );
    let projects = store
        .list(u)
        .into_iter()
        .find(|e| e.name == "Projects")
        .expect("listed");
    assert!(projects.has_children && !projects.subscribed);
    assert_eq!(
        store.delete_folder(u, "Projects"),
        Err(StoreError::HasChildren("Projects".into()))
    );
    assert_eq!(
        store.delete_folder(u, "Inbox"),
        Err(StoreError::CannotDeleteInbox)
    );

    let validity = store.status(u, "Projects/2026").map(|s| s.uid_validity);
    store
        .set_subscribed(u, "Projects/2026", true)
        .expect("subscribe");
    store.rename_folder(u, "Projects", "Work").expect("rename");
    assert!(store.folder(u, "Projects/2026").is_none());
    // The messages did not change, so neither does UIDVALIDITY (RFC 9051 6.3.6).
    assert_eq!(
        store.status(u, "Work/2026").map(|s| s.uid_validity),
        validity
    );
    assert!(store
        .account(u)
        .is_some_and(|a| a.is_subscribed("Work/2026")));

    store.delete_folder(u, "Work/2026").expect("delete child");
    store.delete_folder(u, "Work").expect("delete parent");
    store.create_folder(u, "Work").expect("re-create");
    // A re-created folder must get a new UIDVALIDITY (RFC 9051 2.3.1.1).
    let again = store
        .status(u, "Work")
        .map(|s| s.uid_validity.0)
        .unwrap_or(0);
    assert!(again > validity.map(|v| v.0).unwrap_or(u32::MAX));
}

#[test]
fn renaming_inbox_moves_its_messages_and_leaves_it_empty() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    store.deliver(u, msg("a"), t(1));
    store
        .rename_folder(u, "INBOX", "Old")
        .expect("rename INBOX");
    assert_eq!(
        store.status(u, INBOX).map(|s| (s.messages, s.uid_next)),
        Ok((0, Uid(2)))
    );
    assert_eq!(store.status(u, "Old").map(|s| s.messages), Ok(1));
    assert_eq!(
        store.rename_folder(u, "Old", "Sent"),
        Err(StoreError::AlreadyExists("Sent".into()))
    );
    assert_eq!(
        store.rename_folder(u, "Gone", "X"),
        Err(StoreError::NoSuchFolder("Gone".into()))
    );
}

#[test]
fn subscriptions_outlive_their_folder() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    store.create_folder(u, "Lists").expect("create");
    store.set_subscribed(u, "Lists", true).expect("subscribe");
    store.delete_folder(u, "Lists").expect("delete");
    let subs: Vec<&str> = store
        .account(u)
        .map(|a| a.subscriptions().collect())
        .unwrap_or_default();
    assert!(subs.contains(&"Lists"));
    assert_eq!(
        store.set_subscribed(u, "Nope", true),
        Err(StoreError::NoSuchFolder("Nope".into()))
    );
    store
        .set_subscribed(u, "Lists", false)
        .expect("unsubscribe");
    assert!(!store.account(u).is_some_and(|a| a.is_subscribed("Lists")));
}

#[test]
fn maildrop_lock_is_exclusive_and_only_its_holder_releases_it() {
    let mut store = MailStore::default();
    let first = store.lock_maildrop("Bob@southbay.test").expect("free");
    assert_eq!(
        store.lock_maildrop("bob@southbay.test"),
        Err(StoreError::InUse)
    );
    assert!(store.lock_maildrop("alice@northwind.test").is_ok());
    assert!(store.unlock_maildrop(&first));
    assert!(!store.is_maildrop_locked("bob@southbay.test"));
    let second = store
        .lock_maildrop("bob@southbay.test")
        .expect("free again");
    // The stale first lock cannot release the second session's.
    assert!(!store.unlock_maildrop(&first));
    assert!(store.is_maildrop_locked("bob@southbay.test"));
    assert!(store.unlock_maildrop(&second));
}

#[test]
fn remove_takes_exactly_the_given_uids() {
    let mut store = MailStore::default();
    let u = "bob@southbay.test";
    for i in 0..4 {
        store.deliver(u, msg(&format!("m{i}")), t(i));
    }
    assert_eq!(
        store.remove(u, INBOX, &[Uid(2), Uid(4), Uid(8)]),
        Ok(vec![Uid(2), Uid(4)])
    );
    let folder = store.folder(u, INBOX).expect("INBOX");
    assert_eq!(folder.index_of(Uid(3)), Some(1));
    assert_eq!(folder.status().size, 2 * msg("m0").as_bytes().len() as u64);
}
