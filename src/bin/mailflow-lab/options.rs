//! The options of `mailflow-lab serve`.

use std::net::IpAddr;

use mailflow::engine::scenario::Service;

/// What `serve` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    /// A preset name or a scenario file; `None` for the quiet default world.
    pub scenario: Option<String>,
    /// Loopback by default: the lab's passwords travel in clear where TLS is not started.
    pub address: IpAddr,
    /// The TCP port of each service, in the order they are printed at start. Unprivileged
    /// defaults (the real port plus 2000-odd) so that no one needs root; 0 picks a free one.
    pub ports: Vec<(Service, u16)>,
    /// Virtual milliseconds per real millisecond: 60 makes a queue's 5-minute back-off pass in
    /// 5 seconds.
    pub time_scale: f64,
    /// One session over stdin and stdout instead of TCP listeners.
    pub stdio: Option<Service>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            scenario: None,
            address: IpAddr::from([127, 0, 0, 1]),
            ports: vec![
                (Service::Smtp, 2525),
                (Service::Submission, 2587),
                (Service::Pop3, 2110),
                (Service::Imap, 2143),
            ],
            time_scale: 1.0,
            stdio: None,
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
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut value =
                || inline.clone().or_else(|| rest.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
            match name {
                "--smtp-port" => options.set_port(Service::Smtp, name, &value()?)?,
                "--submission-port" => options.set_port(Service::Submission, name, &value()?)?,
                "--pop3-port" => options.set_port(Service::Pop3, name, &value()?)?,
                "--imap-port" => options.set_port(Service::Imap, name, &value()?)?,
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

    fn set_port(&mut self, service: Service, option: &str, text: &str) -> Result<(), String> {
        let port = text.parse::<u16>().map_err(|_| format!("{option} {text}: not a port (0 to 65535)"))?;
        for entry in &mut self.ports {
            if entry.0 == service {
                entry.1 = port;
            }
        }
        Ok(())
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
        assert_eq!(o.ports[0], (Service::Smtp, 0));
        assert_eq!(o.ports[3], (Service::Imap, 1143));
        assert_eq!(o.scenario.as_deref(), Some("gave-up"));
        assert_eq!(o.time_scale, 60.0);
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
        assert!(parse("a b").unwrap_err().contains("one scenario"));
    }
}
