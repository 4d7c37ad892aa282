//! The command line of `mailflow-lab`: its commands and their options, parsed by clap. The
//! doc comments below are the `--help` text.

use std::net::IpAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mailflow::engine::scenario::Service;

/// Mailflow's engine on the command line, for scenario authors, tests and classrooms
// Help texts are wrapped by hand, kept as written (`verbatim_doc_comment`): clap wraps only
// with its `wrap_help` feature, which would bring a terminal-size crate for that alone.
#[derive(Debug, Parser)]
#[command(name = "mailflow-lab", arg_required_else_help = true, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  mailflow-lab trace first-letter                  a preset by name
  mailflow-lab trace my-lesson.json --json         a scenario file; the trace itself
  mailflow-lab serve server-down --time-scale 60   a preset live, a virtual minute a second
  swaks --pipe 'mailflow-lab serve --stdio submission' ...

Each command's options and notes: mailflow-lab <COMMAND> --help";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and print its transcript, one line per event
    ///
    /// Each line has the virtual time, the connection and the direction (C: and S: lines
    /// exactly as sent). Exits with status 1, saying why, when the run stopped at its budget
    /// or a checkpoint of the scenario never happens.
    #[command(verbatim_doc_comment)]
    Trace {
        /// A scenario file (scenario.json) or a preset's name (see `mailflow-lab presets`)
        scenario: String,
        /// Print the trace itself, as JSON, instead of the transcript
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario and print what the app says at each step
    ///
    /// The narration, the rules behind it (with their RFC sections), and at the end how each
    /// letter's journey ended. Exits with status 1 when the run stopped at its budget.
    #[command(verbatim_doc_comment)]
    Narrate {
        /// A scenario file (scenario.json) or a preset's name (see `mailflow-lab presets`)
        scenario: String,
    },
    /// List the preset scenarios
    Presets,
    /// Print the JSON Schema of scenario files (static/scenario.schema.json)
    Schema,
    /// Serve the world to real mail clients, one port per service, with a live transcript
    ///
    /// submissions, pop3s and imaps are TLS from the first byte (served only when TLS works).
    /// Passwords in clear are taken from this machine only (loopback); from other addresses
    /// only inside TLS, unless --clear-passwords-anywhere.
    ///
    /// With --stdio, no ports: one session over stdin and stdout, the transcript on stderr.
    // Each option given twice: the last one counts, as scripts that append to a default
    // command line expect.
    #[command(verbatim_doc_comment, args_override_self = true)]
    Serve(ServeOptions),
}

/// What `serve` was asked to do.
#[derive(Debug, Args)]
pub struct ServeOptions {
    /// A scenario file or a preset's name, run as written, actions and all
    /// [default: the first-letter world, with nobody acting in it]
    #[arg(verbatim_doc_comment)]
    pub scenario: Option<String>,

    // Unprivileged defaults (the real port plus 2000-odd) so that no one needs root; 0 picks
    // a free one. The names are `--<Port::name>-port`: serve.rs points at them on errors.
    /// SMTP relay, between servers (25)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2525, help_heading = PORTS)]
    smtp_port: u16,
    /// Submission with STARTTLS, for mail programs (587)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2587, help_heading = PORTS)]
    submission_port: u16,
    /// Submission, TLS from the first byte (465)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2465, help_heading = PORTS)]
    submissions_port: u16,
    /// POP3 with STLS (110)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2110, help_heading = PORTS)]
    pop3_port: u16,
    /// POP3, TLS from the first byte (995)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2995, help_heading = PORTS)]
    pop3s_port: u16,
    /// IMAP with STARTTLS (143)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2143, help_heading = PORTS)]
    imap_port: u16,
    /// IMAP, TLS from the first byte (993)
    #[arg(long, value_name = "PORT", value_parser = port, default_value_t = 2993, help_heading = PORTS)]
    imaps_port: u16,
    /// SMTP relay that refuses EHLO [default: not served]
    ///
    /// The relay as a server that predates ESMTP (RFC 821), for clients' HELO fallback
    /// (RFC 5321 3.2). No standard port of its own, so served only when asked for.
    #[arg(long, value_name = "PORT", value_parser = port, help_heading = PORTS, verbatim_doc_comment)]
    helo_only_port: Option<u16>,

    /// The address to listen on
    ///
    /// Loopback by default: the lab's passwords travel in clear where TLS is not started.
    #[arg(long, value_name = "IP", value_parser = address, default_value = "127.0.0.1", verbatim_doc_comment)]
    pub address: IpAddr,
    /// Virtual time per real time, above 0 and at most 1000000
    ///
    /// 60 makes a virtual minute pass each second, and a queue's 5-minute back-off pass
    /// in 5 seconds.
    // Negative numbers reach `time_scale` and its message, not clap's "unexpected argument".
    #[arg(
        long,
        value_name = "SCALE",
        value_parser = time_scale,
        default_value_t = 1.0,
        allow_negative_numbers = true,
        verbatim_doc_comment
    )]
    pub time_scale: f64,
    /// Take passwords in clear from any address, not only loopback
    ///
    /// Without it, a client on another machine must start TLS before it sends a password.
    #[arg(long, verbatim_doc_comment)]
    pub clear_passwords_anywhere: bool,
    /// One session on stdin and stdout, no ports
    ///
    /// For swaks --pipe and the like: the session is the program's stdin and stdout, and
    /// the transcript goes to stderr.
    #[arg(long, value_name = "SERVICE", value_enum, verbatim_doc_comment)]
    pub stdio: Option<StdioService>,
}

const PORTS: &str = "Ports (0 picks a free one)";

impl ServeOptions {
    /// The TCP port of each kind that is served, in the order they are printed at start. The
    /// HELO-only port is served only when asked for.
    pub fn ports(&self) -> Vec<(Port, u16)> {
        [
            (Port::Smtp, Some(self.smtp_port)),
            (Port::Submission, Some(self.submission_port)),
            (Port::Submissions, Some(self.submissions_port)),
            (Port::Pop3, Some(self.pop3_port)),
            (Port::Pop3s, Some(self.pop3s_port)),
            (Port::Imap, Some(self.imap_port)),
            (Port::Imaps, Some(self.imaps_port)),
            (Port::HeloOnly, self.helo_only_port),
        ]
        .into_iter()
        .filter_map(|(kind, port)| Some((kind, port?)))
        .collect()
    }
}

/// A kind of port the lab can listen on: a service of the world, with how it is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Port {
    Smtp,
    Submission,
    /// Submission over implicit TLS (RFC 8314 3.3), 465.
    Submissions,
    Pop3,
    /// POP3 over implicit TLS (RFC 8314 3.1), 995.
    Pop3s,
    Imap,
    /// IMAP over implicit TLS (RFC 8314 3.2), 993.
    Imaps,
    /// The SMTP relay as a pre-ESMTP (RFC 821) server, refusing EHLO: for clients' HELO
    /// fallback (RFC 5321 3.2). No standard port of its own.
    HeloOnly,
}

impl Port {
    /// The name printed at start (`imaps on 127.0.0.1:2993`) and in `--<name>-port`.
    pub fn name(self) -> &'static str {
        match self {
            Port::Smtp => "smtp",
            Port::Submission => "submission",
            Port::Submissions => "submissions",
            Port::Pop3 => "pop3",
            Port::Pop3s => "pop3s",
            Port::Imap => "imap",
            Port::Imaps => "imaps",
            Port::HeloOnly => "helo-only",
        }
    }

    /// The service of the world behind the port; the hosts offering it answer there.
    pub fn service(self) -> Service {
        match self {
            Port::Smtp | Port::HeloOnly => Service::Smtp,
            Port::Submission => Service::Submission,
            Port::Submissions => Service::Submissions,
            Port::Pop3 | Port::Pop3s => Service::Pop3,
            Port::Imap | Port::Imaps => Service::Imap,
        }
    }

    /// TLS from the first byte (RFC 8314 3): the lab runs the handshake before the greeting.
    pub fn implicit_tls(self) -> bool {
        matches!(self, Port::Submissions | Port::Pop3s | Port::Imaps)
    }

    /// The server answers EHLO (RFC 1869); off only on the HELO-only port.
    pub fn esmtp(self) -> bool {
        self != Port::HeloOnly
    }
}

/// The services a single session over stdin and stdout can speak. Implicit TLS (465) is not
/// among them: the pipe carries no TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StdioService {
    Smtp,
    Submission,
    Lmtp,
    Pop3,
    Imap,
}

impl StdioService {
    pub fn service(self) -> Service {
        match self {
            StdioService::Smtp => Service::Smtp,
            StdioService::Submission => Service::Submission,
            StdioService::Lmtp => Service::Lmtp,
            StdioService::Pop3 => Service::Pop3,
            StdioService::Imap => Service::Imap,
        }
    }
}

/// Beyond this a day passes in under a tenth of a second and timeouts fire between two
/// keystrokes; nobody needs it, and it keeps the clock far from overflowing.
const MAX_TIME_SCALE: f64 = 1_000_000.0;

// The parsers' messages follow clap's `invalid value '70000' for '--smtp-port <PORT>': `.

fn port(text: &str) -> Result<u16, String> {
    text.parse().map_err(|_| "not a port (0 to 65535)".to_owned())
}

fn address(text: &str) -> Result<IpAddr, String> {
    text.parse().map_err(|_| "not an IP address (such as 127.0.0.1, 0.0.0.0 or ::1)".to_owned())
}

fn time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale > 0.0 && scale <= MAX_TIME_SCALE => Ok(scale),
        _ => Err(format!("a number above 0 and at most {MAX_TIME_SCALE}")),
    }
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    use super::*;

    /// `mailflow-lab serve` followed by `line`.
    fn parse(line: &str) -> Result<ServeOptions, clap::Error> {
        let args = ["mailflow-lab", "serve"].into_iter().chain(line.split_whitespace());
        match Cli::try_parse_from(args)?.command {
            Command::Serve(options) => Ok(options),
            other => panic!("not serve: {other:?}"),
        }
    }

    /// The message a bad `serve` line gets, as printed.
    fn refused(line: &str) -> String {
        parse(line).expect_err(line).to_string()
    }

    fn port(o: &ServeOptions, kind: Port) -> Option<u16> {
        o.ports().iter().find(|entry| entry.0 == kind).map(|entry| entry.1)
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_serve_the_quiet_world_on_loopback() {
        let o = parse("").unwrap();
        assert_eq!(o.scenario, None);
        assert_eq!(o.address, IpAddr::from([127, 0, 0, 1]));
        assert_eq!(
            o.ports(),
            [
                (Port::Smtp, 2525),
                (Port::Submission, 2587),
                (Port::Submissions, 2465),
                (Port::Pop3, 2110),
                (Port::Pop3s, 2995),
                (Port::Imap, 2143),
                (Port::Imaps, 2993),
            ]
        );
        assert_eq!(o.time_scale, 1.0);
        assert_eq!(o.stdio, None);
        assert!(!o.clear_passwords_anywhere);
    }

    #[test]
    fn ports_scale_and_scenario_are_read() {
        let o = parse("--smtp-port 0 --imap-port=1143 gave-up --time-scale 60").unwrap();
        assert_eq!(port(&o, Port::Smtp), Some(0));
        assert_eq!(port(&o, Port::Imap), Some(1143));
        assert_eq!(port(&o, Port::Imaps), Some(2993));
        assert_eq!(o.scenario.as_deref(), Some("gave-up"));
        assert_eq!(o.time_scale, 60.0);
        assert_eq!(parse("--smtp-port 1 --smtp-port=2").map(|o| port(&o, Port::Smtp)).unwrap(), Some(2), "the last one counts");
        let o = parse("--stdio=lmtp --address ::1").unwrap();
        assert_eq!((o.stdio.map(StdioService::service), o.address), (Some(Service::Lmtp), "::1".parse().unwrap()));
    }

    #[test]
    fn implicit_tls_ports_by_default_and_the_helo_only_port_when_asked() {
        let o = parse("").unwrap();
        assert_eq!((port(&o, Port::Submissions), port(&o, Port::Pop3s)), (Some(2465), Some(2995)));
        assert_eq!(port(&o, Port::HeloOnly), None, "off by default");
        let o = parse("--helo-only-port 2526 --pop3s-port=0").unwrap();
        assert_eq!((port(&o, Port::HeloOnly), port(&o, Port::Pop3s)), (Some(2526), Some(0)));
        assert_eq!(o.ports().iter().filter(|p| p.0 == Port::HeloOnly).count(), 1);
        assert!(Port::Imaps.implicit_tls() && !Port::Imap.implicit_tls() && !Port::HeloOnly.esmtp());
    }

    /// serve.rs names `--<name>-port` when a port cannot be bound.
    #[test]
    fn every_kind_of_port_has_its_option() {
        let all = parse("--helo-only-port 0").unwrap().ports();
        assert_eq!(all.len(), 8);
        for (kind, _) in all {
            let option = format!("--{}-port", kind.name());
            let o = parse(&format!("{option} 7")).unwrap();
            assert_eq!(port(&o, kind), Some(7), "{option}");
        }
    }

    #[test]
    fn bad_options_are_named() {
        let out_of_range = refused("--smtp-port 70000");
        assert!(out_of_range.contains("'70000' for '--smtp-port <PORT>': not a port (0 to 65535)"), "{out_of_range}");
        let missing = refused("--smtp-port");
        assert!(missing.contains("a value is required for '--smtp-port <PORT>'"), "{missing}");
        let zero = refused("--time-scale 0");
        assert!(zero.contains("'0' for '--time-scale <SCALE>': a number above 0 and at most 1000000"), "{zero}");
        assert!(refused("--time-scale -1").contains("'-1' for '--time-scale <SCALE>'"));
        assert!(refused("--time-scale nan").contains("'nan' for '--time-scale <SCALE>'"));
        assert!(refused("--time-scale 1000001").contains("at most 1000000"));
        assert_eq!(parse("--time-scale 1000000").unwrap().time_scale, MAX_TIME_SCALE);
        assert!(refused("--address localhost").contains("'localhost' for '--address <IP>': not an IP address"));
        let ftp = refused("--stdio ftp");
        assert!(ftp.contains("'ftp' for '--stdio <SERVICE>'") && ftp.contains("[possible values: smtp, submission, lmtp, pop3, imap]"), "{ftp}");
        let colour = parse("--colour").unwrap_err();
        assert_eq!(colour.kind(), ErrorKind::UnknownArgument);
        assert!(colour.to_string().contains("unexpected argument '--colour'"), "{colour}");
        let lmtp = parse("--lmtp-port 24").unwrap_err();
        assert_eq!(lmtp.kind(), ErrorKind::UnknownArgument);
        assert!(lmtp.to_string().contains("unexpected argument '--lmtp-port'"), "{lmtp}");
        assert!(refused("--helo-only-port x").contains("'x' for '--helo-only-port <PORT>'"));
        assert!(!parse("").unwrap().clear_passwords_anywhere);
        assert!(parse("--clear-passwords-anywhere gave-up").unwrap().clear_passwords_anywhere);
        assert!(refused("--clear-passwords-anywhere=yes").contains("--clear-passwords-anywhere"));
        assert!(refused("a b").contains("unexpected argument 'b'"), "one scenario at a time");
    }

    #[test]
    fn trace_and_narrate_take_one_scenario() {
        let cli = Cli::try_parse_from(["mailflow-lab", "trace", "--json", "gave-up"]).unwrap();
        assert!(matches!(cli.command, Command::Trace { scenario, json: true } if scenario == "gave-up"));
        let cli = Cli::try_parse_from(["mailflow-lab", "trace", "my-lesson.json"]).unwrap();
        assert!(matches!(cli.command, Command::Trace { json: false, .. }));
        let none = Cli::try_parse_from(["mailflow-lab", "narrate"]).unwrap_err();
        assert_eq!(none.kind(), ErrorKind::MissingRequiredArgument);
        assert!(none.to_string().contains("<SCENARIO>"), "{none}");
        let json = Cli::try_parse_from(["mailflow-lab", "narrate", "gave-up", "--json"]).unwrap_err();
        assert_eq!(json.kind(), ErrorKind::UnknownArgument, "--json is trace's");
        let typo = Cli::try_parse_from(["mailflow-lab", "trcae", "gave-up"]).unwrap_err();
        assert_eq!(typo.kind(), ErrorKind::InvalidSubcommand);
        assert!(typo.to_string().contains("'trace'"), "suggested: {typo}");
        // Nothing at all: the help, on stderr, with a failing status.
        let nothing = Cli::try_parse_from(["mailflow-lab"]).unwrap_err();
        assert_eq!(nothing.kind(), ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand);
        assert_eq!(nothing.exit_code(), 2);
    }

    /// The help states the limit `time_scale` enforces.
    #[test]
    fn the_help_says_what_the_parsers_accept() {
        let mut cli = Cli::command();
        let serve = cli.find_subcommand_mut("serve").unwrap();
        let help = serve.render_long_help().to_string();
        assert!(help.contains(&format!("at most {MAX_TIME_SCALE}")), "{help}");
        assert!(help.contains("[possible values: smtp, submission, lmtp, pop3, imap]"), "{help}");
        assert!(help.contains("[default: 2525]") && help.contains("[default: 127.0.0.1]"), "{help}");
    }
}
