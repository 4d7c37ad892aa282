//! `mailflow-lab serve --stdio <service>`: one session over stdin and stdout, as inetd would
//! run a server, so that `swaks --pipe` and friends can talk to the world without a port.
//! The transcript goes to stderr, keeping stdout for the protocol alone.

use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use mailflow::engine::scenario::{Scenario, Service};
use mailflow::engine::world::{ExternalOutput, Listener, Simulator};

use crate::live::{print_new, Clock};
use crate::Failure;

/// How long to wait for input before letting the clock move again (timeouts, the world's
/// own traffic).
const TICK: Duration = Duration::from_millis(2);

pub fn run(service: Service, scenario: &Scenario) -> Result<(), Failure> {
    let mut sim = Simulator::new(scenario);
    // No TLS on a pipe: a client asking for STARTTLS is told it is not offered. The other
    // end of the pipe is a program on this machine, as trusted as loopback.
    let listener = Listener {
        service,
        offer_tls: false,
        plaintext_auth: true,
        offer_apop: true,
        esmtp: true,
        implicit_tls: false,
        // The answering host's own (`connect_external` sets them).
        smtpd: Default::default(),
    };
    let session = sim
        .connect_external(listener, "127.0.0.1", 0)
        .ok_or_else(|| Failure(format!("no host of this world offers {}", service.name())))?;
    let input = read_stdin();
    let clock = Clock::start(1.0);
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    loop {
        sim.advance_to(clock.now());
        let mut ended = false;
        match input.recv_timeout(TICK) {
            Ok(bytes) => sim.external_input(session, &bytes),
            Err(RecvTimeoutError::Timeout) => {}
            // Stdin is at its end: the client has gone.
            Err(RecvTimeoutError::Disconnected) => {
                sim.disconnect_external(session);
                ended = true;
            }
        }
        while let Some(output) = sim.poll_external(session) {
            match output {
                ExternalOutput::Transmit(bytes) => {
                    if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                        // Nobody reads stdout any more: the client has gone.
                        sim.disconnect_external(session);
                        ended = true;
                    }
                }
                // Not offered, so not expected; never go on in clear as if encrypted.
                ExternalOutput::StartTls | ExternalOutput::Close => {
                    sim.disconnect_external(session);
                    ended = true;
                }
            }
        }
        print_new(&mut sim, &mut err);
        if ended {
            break;
        }
    }
    // Let the world finish what the session started (the relay, the LMTP hand-off, a bounce)
    // at simulation speed, so the transcript shows where the letter went.
    sim.run();
    print_new(&mut sim, &mut err);
    Ok(())
}

/// Stdin in chunks as they come, from a thread: std has no non-blocking stdin, and the clock
/// must keep moving while the client thinks. The channel closes at the end of input.
fn read_stdin() -> Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if sender.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
    });
    receiver
}
