//! Unguessable tokens and short join codes.

/// Letters and digits that cannot be mistaken for each other when read aloud or typed
/// (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";

/// Length of a join code: 25^6 ≈ 244 million codes.
pub const JOIN_CODE_LEN: usize = 6;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source failing means the machine cannot make secrets at all.
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes
}

/// A 128-bit random secret as 32 hex characters (table tokens, facilitator keys).
pub fn secret() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A six-digit pairing code a table's screen shows for its next device.
pub fn pairing_code() -> String {
    // 4 bytes mod 10^6: the bias (under 0.03 %) does not matter for a code that lives minutes.
    let n = u32::from_le_bytes(random_bytes::<4>()) % 1_000_000;
    format!("{n:06}")
}

/// A short code people type to join a session.
pub fn join_code() -> String {
    // Rejection sampling keeps every symbol equally likely.
    let limit = 256 - 256 % CODE_ALPHABET.len();
    let mut code = String::with_capacity(JOIN_CODE_LEN);
    while code.len() < JOIN_CODE_LEN {
        for b in random_bytes::<16>() {
            if (b as usize) < limit && code.len() < JOIN_CODE_LEN {
                code.push(CODE_ALPHABET[b as usize % CODE_ALPHABET.len()] as char);
            }
        }
    }
    code
}

/// Normalizes what someone typed as a join code: upper case, no spaces or dashes,
/// full-width letters folded to ASCII.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_uppercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet() {
        for _ in 0..100 {
            let code = join_code();
            assert_eq!(code.len(), JOIN_CODE_LEN);
            assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
        assert_ne!(secret(), secret());
        assert_eq!(secret().len(), 32);
    }

    #[test]
    fn typed_codes_are_normalized() {
        assert_eq!(normalize_code(" ｋ７p-3qx "), "K7P3QX");
    }
}
