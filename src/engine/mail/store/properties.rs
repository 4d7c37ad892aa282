//! Properties of the store over random sequences of delivery, APPEND, STORE, EXPUNGE,
//! COPY, MOVE, CREATE, DELETE and RENAME: within one UIDVALIDITY a UID is never given to a
//! second message and new UIDs only grow (RFC 9051 2.3.1.1), UIDNEXT never falls, and no
//! two folders share a UIDVALIDITY.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

const USER: &str = "bob@southbay.test";
/// A small pool, so that operations collide: the same names deleted, re-created, renamed.
const NAMES: [&str; 6] = ["INBOX", "Trash", "A", "B", "A/C", "inbox"];

#[derive(Debug, Clone)]
enum Op {
    Deliver,
    Append(usize),
    Delete(usize, usize),
    Expunge(usize),
    Remove(usize, usize),
    Copy(usize, usize, usize),
    Move(usize, usize, usize),
    Create(usize),
    DeleteFolder(usize),
    Rename(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let f = 0..NAMES.len();
    let m = 0usize..4;
    prop_oneof![
        3 => Just(Op::Deliver),
        2 => f.clone().prop_map(Op::Append),
        2 => (f.clone(), m.clone()).prop_map(|(f, m)| Op::Delete(f, m)),
        2 => f.clone().prop_map(Op::Expunge),
        1 => (f.clone(), m.clone()).prop_map(|(f, m)| Op::Remove(f, m)),
        2 => (f.clone(), m.clone(), f.clone()).prop_map(|(a, m, b)| Op::Copy(a, m, b)),
        2 => (f.clone(), m, f.clone()).prop_map(|(a, m, b)| Op::Move(a, m, b)),
        1 => f.clone().prop_map(Op::Create),
        1 => f.clone().prop_map(Op::DeleteFolder),
        1 => (f.clone(), f).prop_map(|(a, b)| Op::Rename(a, b)),
    ]
}

/// The UID of the `i`th message of a folder, if it has that many.
fn nth(store: &MailStore, folder: usize, i: usize) -> Option<Uid> {
    Some(store.folder(USER, NAMES[folder])?.messages().get(i)?.uid)
}

fn apply(store: &mut MailStore, op: &Op, serial: &mut u32) {
    *serial += 1;
    let message = Message::from_bytes(format!("Subject: {serial}\r\n\r\n").into_bytes());
    let t = VirtualTime::from_secs(u64::from(*serial));
    let deleted: Flags = [Flag::Deleted].into_iter().collect();
    // Refusals (no such folder, already exists) are part of the test: results are ignored.
    let _ = match op {
        Op::Deliver => {
            store.deliver(USER, message, t);
            Ok(())
        }
        Op::Append(f) => store
            .append(USER, NAMES[*f], message, Flags::new(), t)
            .map(|_| ()),
        Op::Delete(f, i) => match nth(store, *f, *i) {
            Some(uid) => store
                .set_flags(USER, NAMES[*f], uid, FlagChange::Add, &deleted)
                .map(|_| ()),
            None => Ok(()),
        },
        Op::Expunge(f) => store.expunge(USER, NAMES[*f]).map(|_| ()),
        Op::Remove(f, i) => match nth(store, *f, *i) {
            Some(uid) => store.remove(USER, NAMES[*f], &[uid]).map(|_| ()),
            None => Ok(()),
        },
        Op::Copy(a, i, b) | Op::Move(a, i, b) => match nth(store, *a, *i) {
            Some(uid) if matches!(op, Op::Copy(..)) => {
                store.copy(USER, NAMES[*a], &[uid], NAMES[*b]).map(|_| ())
            }
            Some(uid) => store
                .move_messages(USER, NAMES[*a], &[uid], NAMES[*b])
                .map(|_| ()),
            None => Ok(()),
        },
        Op::Create(f) => store.create_folder(USER, NAMES[*f]),
        Op::DeleteFolder(f) => store.delete_folder(USER, NAMES[*f]),
        Op::Rename(a, b) => store.rename_folder(USER, NAMES[*a], NAMES[*b]),
    };
}

/// Every message by (UIDVALIDITY, UID): its bytes.
fn by_uid(store: &MailStore) -> BTreeMap<(u32, u32), Vec<u8>> {
    let mut map = BTreeMap::new();
    for folder in store
        .account(USER)
        .map(Account::folders)
        .unwrap_or_default()
    {
        for m in folder.messages() {
            map.insert(
                (folder.uid_validity().0, m.uid.0),
                m.message.as_bytes().to_vec(),
            );
        }
    }
    map
}

fn check(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut store = MailStore::default();
    let mut serial = 0;
    // Per UIDVALIDITY: every UID ever used with its message, and the UIDNEXT seen.
    let mut ever: BTreeMap<(u32, u32), Vec<u8>> = BTreeMap::new();
    let mut uid_next: BTreeMap<u32, u32> = BTreeMap::new();
    store.account_mut(USER);
    for op in ops {
        apply(&mut store, op, &mut serial);
        let folders = store
            .account(USER)
            .map(Account::folders)
            .unwrap_or_default();
        let mut validities: Vec<u32> = folders.iter().map(|f| f.uid_validity().0).collect();
        validities.sort_unstable();
        validities.dedup();
        prop_assert_eq!(
            validities.len(),
            folders.len(),
            "shared UIDVALIDITY after {:?}",
            op
        );
        for f in folders {
            let v = f.uid_validity().0;
            let uids: Vec<u32> = f.messages().iter().map(|m| m.uid.0).collect();
            prop_assert!(
                uids.windows(2).all(|w| w[0] < w[1]),
                "{} not ascending: {:?}",
                f.name(),
                uids
            );
            prop_assert!(uids.iter().all(|&u| u > 0 && u < f.uid_next().0));
            let before = uid_next.insert(v, f.uid_next().0).unwrap_or(0);
            prop_assert!(
                f.uid_next().0 >= before,
                "UIDNEXT of {} fell after {:?}",
                f.name(),
                op
            );
        }
        let highest: BTreeMap<u32, u32> = ever.keys().fold(BTreeMap::new(), |mut h, &(v, u)| {
            let e = h.entry(v).or_insert(0);
            *e = (*e).max(u);
            h
        });
        for (key, bytes) in by_uid(&store) {
            match ever.get(&key) {
                // RFC 9051 2.3.1.1: a UID names one message for the life of its UIDVALIDITY.
                Some(old) => prop_assert_eq!(old, &bytes, "UID {:?} reused after {:?}", key, op),
                None => {
                    let top = highest.get(&key.0).copied().unwrap_or(0);
                    prop_assert!(
                        key.1 > top,
                        "new UID {:?} not above {} after {:?}",
                        key,
                        top,
                        op
                    );
                    ever.insert(key, bytes);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn uids_strictly_increase_within_a_uidvalidity(ops in proptest::collection::vec(op(), 1..60)) {
        check(&ops)?;
    }
}
