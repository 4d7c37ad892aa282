//! Parsing and formatting of commands, verb by verb.

use super::*;
use crate::engine::smtp::address::Mailbox;

fn parse(s: &str) -> Result<Command, CommandError> {
    Command::parse(s.as_bytes())
}

fn mailbox(s: &str) -> Mailbox {
    Mailbox::parse(s).expect("test address")
}

#[test]
fn verbs_are_case_insensitive() {
    assert_eq!(
        parse("ehlo a.test"),
        Ok(Command::Ehlo {
            domain: "a.test".into()
        })
    );
    assert_eq!(
        parse("HeLo a.test"),
        Ok(Command::Helo {
            domain: "a.test".into()
        })
    );
    assert_eq!(
        parse("lhlo a.test"),
        Ok(Command::Lhlo {
            domain: "a.test".into()
        })
    );
    assert_eq!(parse("data"), Ok(Command::Data));
    assert_eq!(parse("StartTLS"), Ok(Command::StartTls));
    assert_eq!(parse("rset"), Ok(Command::Rset));
    assert_eq!(parse("quit"), Ok(Command::Quit));
}

#[test]
fn mail_from_with_parameters() {
    let cmd = parse(
        "mail from:<alice@northwind.test> size=512 BODY=8bitmime RET=HDRS ENVID=QQ+2B1 AUTH=<>",
    )
    .expect("valid");
    let Command::Mail { from, params } = &cmd else {
        panic!("not MAIL: {cmd:?}")
    };
    assert_eq!(from, &ReversePath::Mailbox(mailbox("alice@northwind.test")));
    assert_eq!(params.size, Some(512));
    assert_eq!(params.body, Some(Body::EightBitMime));
    assert_eq!(params.ret, Some(Ret::Hdrs));
    assert_eq!(params.envid.as_deref(), Some("QQ+1"));
    assert_eq!(params.auth.as_deref(), Some("<>"));
    assert_eq!(
        cmd.to_string(),
        "MAIL FROM:<alice@northwind.test> SIZE=512 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1 AUTH=<>"
    );
}

#[test]
fn mail_from_null_path_and_tolerated_space() {
    assert_eq!(
        parse("MAIL FROM: <>"),
        Ok(Command::Mail {
            from: ReversePath::Null,
            params: MailParameters::default()
        })
    );
}

#[test]
fn rcpt_to_with_dsn_parameters() {
    let cmd = parse(
        "RCPT TO:<bob@southbay.test> NOTIFY=success,FAILURE ORCPT=rfc822;bob+2Bx@southbay.test",
    )
    .expect("valid");
    let Command::Rcpt { to, params } = &cmd else {
        panic!("not RCPT: {cmd:?}")
    };
    assert_eq!(to, &ForwardPath::Mailbox(mailbox("bob@southbay.test")));
    assert_eq!(
        params.notify,
        Some(Notify::On {
            success: true,
            failure: true,
            delay: false
        })
    );
    assert_eq!(params.orcpt.as_deref(), Some("rfc822;bob+x@southbay.test"));
    assert_eq!(
        cmd.to_wire(),
        b"RCPT TO:<bob@southbay.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@southbay.test\r\n"
    );
    let never = parse("RCPT TO:<bob@southbay.test> NOTIFY=NEVER").expect("valid");
    assert_eq!(
        never.to_string(),
        "RCPT TO:<bob@southbay.test> NOTIFY=NEVER"
    );
}

#[test]
fn rcpt_to_bare_postmaster() {
    // RFC 5321 4.1.1.3: the one forward path without a domain, case-insensitive.
    assert_eq!(
        parse("RCPT TO:<postMaster> NOTIFY=NEVER"),
        Ok(Command::Rcpt {
            to: ForwardPath::Postmaster,
            params: RcptParameters {
                notify: Some(Notify::Never),
                orcpt: None
            }
        })
    );
    assert_eq!(
        parse("RCPT TO:<postmaster>").map(|c| c.to_string()),
        Ok("RCPT TO:<Postmaster>".to_string())
    );
}

#[test]
fn syntax_errors() {
    assert_eq!(parse(""), Err(CommandError::Empty));
    assert_eq!(parse("   "), Err(CommandError::Empty));
    assert_eq!(parse("EHLO"), Err(CommandError::Syntax(Verb::Ehlo)));
    assert_eq!(
        parse("MAIL <a@b.test>"),
        Err(CommandError::Syntax(Verb::Mail))
    );
    assert_eq!(parse("MAIL FROM:"), Err(CommandError::Syntax(Verb::Mail)));
    assert_eq!(
        parse("RCPT TO:<a@b.test>NOTIFY=NEVER"),
        Err(CommandError::Syntax(Verb::Rcpt))
    );
    assert_eq!(parse("DATA now"), Err(CommandError::Syntax(Verb::Data)));
    assert_eq!(parse("VRFY"), Err(CommandError::Syntax(Verb::Vrfy)));
    assert_eq!(parse("AUTH"), Err(CommandError::Syntax(Verb::Auth)));
    assert_eq!(
        parse("AUTH PLAIN a b"),
        Err(CommandError::Syntax(Verb::Auth))
    );
    assert_eq!(
        parse("BDAT 10"),
        Err(CommandError::Unrecognized {
            verb: "BDAT".into()
        })
    );
    assert_eq!(
        parse("MAIL FROM:a@b.test"),
        Err(CommandError::BadSender(AddressError::MissingBrackets))
    );
    assert_eq!(
        parse("RCPT TO:<>"),
        Err(CommandError::BadRecipient(AddressError::MissingDomain))
    );
    assert_eq!(
        parse("MAIL FROM:<a@b.test> SIZE=12x"),
        Err(CommandError::BadParameter {
            keyword: "SIZE".into()
        })
    );
    assert_eq!(
        parse("MAIL FROM:<a@b.test> SIZE=1 SIZE=2"),
        Err(CommandError::BadParameter {
            keyword: "SIZE".into()
        })
    );
    assert_eq!(
        parse("MAIL FROM:<a@b.test> SMTPUTF8"),
        Err(CommandError::UnsupportedParameter {
            keyword: "SMTPUTF8".into()
        })
    );
    assert_eq!(
        parse("RCPT TO:<a@b.test> NOTIFY=NEVER,SUCCESS"),
        Err(CommandError::BadParameter {
            keyword: "NOTIFY".into()
        })
    );
    assert_eq!(parse("HELO h\u{e9}.test"), Err(CommandError::NotText));
}

#[test]
fn auth_and_optional_arguments() {
    assert_eq!(
        parse("auth plain AGFsaWNl"),
        Ok(Command::Auth {
            mechanism: "PLAIN".into(),
            initial_response: Some("AGFsaWNl".into())
        })
    );
    assert_eq!(
        parse("NOOP hello there"),
        Ok(Command::Noop {
            text: Some("hello there".into())
        })
    );
    assert_eq!(parse("HELP"), Ok(Command::Help { topic: None }));
}

#[test]
fn xtext_round_trip() {
    for s in ["plain", "a+b=c", "with space", "\u{7f}"] {
        assert_eq!(xtext_decode(&xtext_encode(s)).as_deref(), Some(s));
    }
    assert_eq!(xtext_decode("+2g"), None);
    assert_eq!(xtext_decode("+2"), None);
}
