"""Run every conformance check, each against a fresh lab; print one line per check and the
count. Usage: checks.py [name-substring ...] (MAILFLOW_LAB names the binary)."""

import sys
import time
import traceback

import checks_auth
import checks_python
import checks_tools
from lab import Lab


def main(filters):
    checks = checks_python.CHECKS + checks_tools.CHECKS + checks_auth.CHECKS
    if filters:
        checks = [c for c in checks if any(f in c.__name__ for f in filters)]
    passed = failed = 0
    for fn in checks:
        start = time.time()
        try:
            if not getattr(fn, "needs_lab", True):
                # Checks that read traces, or start a lab of their own.
                fn()
            else:
                with Lab() as lab:
                    try:
                        fn(lab)
                    except Exception:
                        # The lab's side of the story helps more than the client's alone.
                        print("--- transcript tail:\n" + "\n".join(lab.lines[-30:]))
                        raise
            passed += 1
            print("ok    %-55s %.2fs" % (fn.__name__, time.time() - start), flush=True)
        except Exception:
            failed += 1
            print("FAIL  %s\n%s" % (fn.__name__, traceback.format_exc()), flush=True)
    print("conformance: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
