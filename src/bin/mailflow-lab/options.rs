//! The options of `mailflow-lab serve`.

use std::net::IpAddr;

use mailflow::engine::scenario::Service;

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

    fn option(name: &str) -> Option<Port> {
        const ALL: [Port; 8] = [
            Port::Smtp,
            Port::Submission,
            Port::Submissions,
            Port::Pop3,
            Port::Pop3s,
            Port::Imap,
            Port::Imaps,
            Port::HeloOnly,
        ];
        let name = name.strip_prefix("--")?.strip_suffix("-port")?;
        ALL.into_iter().find(|p| p.name() == name)
    }
}

/// What `serve` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    /// A preset name or a scenario file; `None` for the quiet default world.
    pub scenario: Option<String>,
    /// Loopback by default: the lab's passwords travel in clear where TLS is not started.
    pub address: IpAddr,
    /// The TCP port of each kind, in the order they are printed at start. Unprivileged
    /// defaults (the real port plus 2000-odd) so that no one needs root; 0 picks a free one.
    /// The HELO-only port is served only when asked for.
    pub ports: Vec<(Port, u16)>,
    /// Virtual milliseconds per real millisecond: 60 makes a queue's 5-minute back-off pass in
    /// 5 seconds.
    pub time_scale: f64,
    /// One session over stdin and stdout instead of TCP listeners.
    pub stdio: Option<Service>,
    /// Take passwords in clear from any address, not only from this machine (loopback).
    pub clear_passwords_anywhere: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            scenario: None,
            address: IpAddr::from([127, 0, 0, 1]),
            ports: vec![
                (Port::Smtp, 2525),
                (Port::Submission, 2587),
                (Port::Submissions, 2465),
                (Port::Pop3, 2110),
                (Port::Pop3s, 2995),
                (Port::Imap, 2143),
                (Port::Imaps, 2993),
            ],
            time_scale: 1.0,
            stdio: None,
            clear_passwords_anywhere: false,
        }
    }
}

/// Beyond this a day passes in under a tenth of a second and timeouts fire between two
/// keystrokes; nobody needs it, and it keeps the clock far from overflowing.
const MAX_TIME_SCALE: f64 = 1_000_000.0;

impl ServeOptions {
    /// `args` are what follows `serve`. Options take their value as the next argument or
    /// after `=` (`--smtp-port 2525`, `--smtp-port=2525`).
    pub fn parse(args: &[String]) -> Result<ServeOptions, String> {
        let mut options = ServeOptions::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            if !arg.starts_with("--") {
                if let Some(first) = &options.scenario {
                    return Err(format!("one scenario at a time: {first} or {arg}?"));
                }
                options.scenario = Some(arg.clone());
                continue;
            }
            if arg == "--clear-passwords-anywhere" {
                options.clear_passwords_anywhere = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut value =
                || inline.clone().or_else(|| rest.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
            if let Some(port) = Port::option(name) {
                options.set_port(port, name, &value()?)?;
                continue;
            }
            match name {
                "--address" => {
                    let text = value()?;
                    options.address = text.parse().map_err(|_| format!("--address {text}: not an IP address"))?;
                }
                "--time-scale" => options.time_scale = time_scale(&value()?)?,
                "--stdio" => options.stdio = Some(stdio_service(&value()?)?),
                _ => return Err(format!("unknown option {name}")),
            }
        }
        Ok(options)
    }

    fn set_port(&mut self, kind: Port, option: &str, text: &str) -> Result<(), String> {
        let port = text.parse::<u16>().map_err(|_| format!("{option} {text}: not a port (0 to 65535)"))?;
        match self.ports.iter_mut().find(|entry| entry.0 == kind) {
            Some(entry) => entry.1 = port,
            // Off by default (the HELO-only port): asking for it turns it on.
            None => self.ports.push((kind, port)),
        }
        Ok(())
    }

    /// The port number of a kind, if it is served.
    #[cfg(test)]
    fn port(&self, kind: Port) -> Option<u16> {
        self.ports.iter().find(|entry| entry.0 == kind).map(|entry| entry.1)
    }
}

fn time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale > 0.0 && scale <= MAX_TIME_SCALE => Ok(scale),
        _ => Err(format!("--time-scale {text}: a number above 0 and at most {MAX_TIME_SCALE}")),
    }
}

/// The services a single session over stdin and stdout can speak. Implicit TLS (465) is not
/// among them: the pipe carries no TLS.
fn stdio_service(text: &str) -> Result<Service, String> {
    match text {
        "smtp" => Ok(Service::Smtp),
        "submission" => Ok(Service::Submission),
        "lmtp" => Ok(Service::Lmtp),
        "pop3" => Ok(Service::Pop3),
        "imap" => Ok(Service::Imap),
        _ => Err(format!("--stdio {text}: one of smtp, submission, lmtp, pop3, imap")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ServeOptions, String> {
        ServeOptions::parse(&line.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn defaults_serve_the_quiet_world_on_loopback() {
        assert_eq!(parse(""), Ok(ServeOptions::default()));
    }

    #[test]
    fn ports_scale_and_scenario_are_read() {
        let o = parse("--smtp-port 0 --imap-port=1143 gave-up --time-scale 60").unwrap();
        assert_eq!(o.port(Port::Smtp), Some(0));
        assert_eq!(o.port(Port::Imap), Some(1143));
        assert_eq!(o.port(Port::Imaps), Some(2993));
        assert_eq!(o.scenario.as_deref(), Some("gave-up"));
        assert_eq!(o.time_scale, 60.0);
    }

    #[test]
    fn implicit_tls_ports_by_default_and_the_helo_only_port_when_asked() {
        let o = parse("").unwrap();
        assert_eq!((o.port(Port::Submissions), o.port(Port::Pop3s)), (Some(2465), Some(2995)));
        assert_eq!(o.port(Port::HeloOnly), None, "off by default");
        let o = parse("--helo-only-port 2526 --pop3s-port=0").unwrap();
        assert_eq!((o.port(Port::HeloOnly), o.port(Port::Pop3s)), (Some(2526), Some(0)));
        assert_eq!(o.ports.iter().filter(|p| p.0 == Port::HeloOnly).count(), 1);
        assert!(Port::Imaps.implicit_tls() && !Port::Imap.implicit_tls() && !Port::HeloOnly.esmtp());
    }

    #[test]
    fn bad_options_are_named() {
        assert!(parse("--smtp-port 70000").unwrap_err().contains("--smtp-port 70000"));
        assert!(parse("--smtp-port").unwrap_err().contains("needs a value"));
        assert!(parse("--time-scale 0").unwrap_err().contains("--time-scale"));
        assert!(parse("--time-scale nan").is_err());
        assert!(parse("--address localhost").unwrap_err().contains("not an IP"));
        assert!(parse("--stdio ftp").unwrap_err().contains("one of"));
        assert!(parse("--colour").unwrap_err().contains("unknown option --colour"));
        assert!(parse("--lmtp-port 24").unwrap_err().contains("unknown option --lmtp-port"));
        assert!(parse("--helo-only-port x").unwrap_err().contains("--helo-only-port x"));
        assert!(!parse("").unwrap().clear_passwords_anywhere);
        assert!(parse("--clear-passwords-anywhere gave-up").unwrap().clear_passwords_anywhere);
        assert!(parse("a b").unwrap_err().contains("one scenario"));
    }
}
