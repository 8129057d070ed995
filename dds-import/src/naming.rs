//! Names the importer makes up: a neutral summary from the action name, and Rust names for
//! enum values that cannot name themselves.

use heck::ToUpperCamelCase;

/// Words written in a fixed form wherever they appear in an action name.
const FIXED_WORDS: &[(&str, &str)] = &[
    ("db", "DB"),
    ("dbs", "DBs"),
    ("ha", "HA"),
    ("id", "ID"),
    ("ids", "IDs"),
    ("ip", "IP"),
    ("ips", "IPs"),
    ("kms", "KMS"),
    ("rds", "RDS"),
    ("srv", "SRV"),
    ("ssl", "SSL"),
    ("tde", "TDE"),
    ("vpc", "VPC"),
];

/// Splits an action name into words, keeping acronyms whole: `ModifyDBInstanceSSL` gives
/// `Modify`, `DB`, `Instance`, `SSL`; `DescribeBackupDBs` gives `Describe`, `Backup`, `DBs`.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        if chars[i].is_uppercase() {
            let mut j = i;
            while j < chars.len() && chars[j].is_uppercase() {
                j += 1;
            }
            let run = j - i;
            let lower_follows = j < chars.len() && chars[j].is_lowercase();
            if run > 1 && lower_follows {
                // `DBs` is a plural acronym; otherwise the last capital starts the next word
                // (`DBInstance` -> `DB`, `Instance`).
                let plural = chars[j] == 's'
                    && chars
                        .get(j + 1)
                        .is_none_or(|c| c.is_uppercase() || !c.is_alphanumeric());
                let end = if plural { j + 1 } else { j - 1 };
                words.push(chars[start..end].iter().collect());
                i = end;
                continue;
            }
            i = j;
        }
        while i < chars.len() && (chars[i].is_lowercase() || chars[i].is_ascii_digit()) {
            i += 1;
        }
        words.push(chars[start..i].iter().collect());
    }
    words
}

/// A neutral one-line summary made from the action name alone:
/// `ModifyDBInstanceSSL` -> `Modify DB instance SSL.`
pub fn summary_from_action(action: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in split_words(action) {
        // Product and billing terms that the splitter cuts in two.
        match (words.last().map(String::as_str), word.as_str()) {
            (Some("Mongo" | "mongo"), "DB") => {
                words.pop();
                words.push("MongoDB".to_owned());
                continue;
            }
            (Some("pre"), "Paid") => {
                words.pop();
                words.push("prepaid".to_owned());
                continue;
            }
            _ => {}
        }
        let fixed = FIXED_WORDS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&word))
            .map(|(_, v)| (*v).to_owned());
        let is_acronym = word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        let rendered = match fixed {
            Some(fixed) => fixed,
            None if is_acronym || words.is_empty() => word,
            None => word.to_lowercase(),
        };
        words.push(rendered);
    }
    let mut summary = words.join(" ");
    summary.push('.');
    summary
}

/// The Rust name the codegen derives from an enum value when the spec gives none.
pub fn default_variant_name(value: &str) -> String {
    value.to_upper_camel_case()
}

/// Whether `name` can be a Rust enum variant as written.
pub fn is_variant_name(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && name != "Self"
}

/// A Rust name for an enum value whose own spelling does not give one. Values that start with a
/// digit get a `V` and keep their digits, separators becoming `_`: `0` -> `V0`, `4.0` -> `V4_0`
/// (so `4.0` and `40` stay apart). Anything else keeps its letters and digits.
pub fn fallback_variant_name(value: &str) -> String {
    let mut name = String::new();
    let mut pending_separator = false;
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_separator && !name.is_empty() {
                name.push('_');
            }
            pending_separator = false;
            name.push(c);
        } else {
            pending_separator = true;
        }
    }
    if name.is_empty() {
        return "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        // Letters first but with separators or a leading underscore: camel-case the letters.
        let camel = name.to_upper_camel_case();
        if is_variant_name(&camel) {
            camel
        } else {
            format!("V{camel}")
        }
    }
}

/// For each value, the Rust name to write, or `None` when the value's default name is fine.
///
/// `taken` holds names already given by a person (kept as they are); `values` are the values
/// still to name, in order. A value needs an explicit name when its default name is not a valid
/// variant, or when two values would get the same name: then the value spelled exactly like the
/// name keeps it, and the others get a suffix that says how they are spelled (`Lower`, `Upper`)
/// or a number.
pub fn variant_names(values: &[&str], taken: &[String]) -> Vec<Option<String>> {
    let wanted: Vec<String> = values
        .iter()
        .map(|v| {
            let default = default_variant_name(v);
            if is_variant_name(&default) {
                default
            } else {
                fallback_variant_name(v)
            }
        })
        .collect();

    let mut used: Vec<String> = taken.to_vec();
    let mut out: Vec<Option<String>> = vec![None; values.len()];

    // First pass: values spelled like their name win it, then the first of each name.
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by_key(|&i| (values[i] != wanted[i], i));
    for i in order {
        let base = &wanted[i];
        let mut name = base.clone();
        if used.contains(&name) {
            let has_letters = values[i].chars().any(char::is_alphabetic);
            let suffix = if has_letters && values[i].chars().all(|c| !c.is_uppercase()) {
                "Lower"
            } else if has_letters && values[i].chars().all(|c| !c.is_lowercase()) {
                "Upper"
            } else {
                ""
            };
            name = format!("{base}{suffix}");
            // A number right after a digit would read as part of it (`V1` + 2): separate it.
            let separator = if name.ends_with(|c: char| c.is_ascii_digit()) {
                "_"
            } else {
                ""
            };
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}{suffix}{separator}{n}");
                n += 1;
            }
        }
        let default = default_variant_name(values[i]);
        if name != default || !is_variant_name(&default) {
            out[i] = Some(name.clone());
        }
        used.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_keep_acronyms_and_lower_case_other_words() {
        let cases = [
            ("ModifyDBInstanceSSL", "Modify DB instance SSL."),
            (
                "DescribeDBInstanceTDEInfo",
                "Describe DB instance TDE info.",
            ),
            ("DescribeBackupDBs", "Describe backup DBs."),
            (
                "ModifyGlobalSecurityIPGroupName",
                "Modify global security IP group name.",
            ),
            ("ModifySecurityIps", "Modify security IPs."),
            ("DescribeKmsKeys", "Describe KMS keys."),
            ("DescribeMongoDBLogConfig", "Describe MongoDB log config."),
            (
                "AllocateDBInstanceSrvNetworkAddress",
                "Allocate DB instance SRV network address.",
            ),
            ("SwitchDBInstanceHA", "Switch DB instance HA."),
            ("TransformToPrePaid", "Transform to prepaid."),
            (
                "ModifyInstanceVpcAuthMode",
                "Modify instance VPC auth mode.",
            ),
        ];
        for (action, summary) in cases {
            assert_eq!(summary_from_action(action), summary, "{action}");
        }
    }

    #[test]
    fn values_that_name_themselves_get_no_explicit_name() {
        assert_eq!(
            variant_names(&["Open", "Close", "cloud_essd1"], &[]),
            [None, None, None]
        );
    }

    #[test]
    fn values_starting_with_a_digit_get_a_v_and_keep_their_separators() {
        assert_eq!(
            variant_names(&["0", "4.0", "40", "Immediately"], &[]),
            [
                Some("V0".to_owned()),
                Some("V4_0".to_owned()),
                Some("V40".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn values_that_collide_after_case_conversion_are_told_apart_by_their_spelling() {
        assert_eq!(
            variant_names(&["enable", "disabled", "Enable", "Disabled"], &[]),
            [
                Some("EnableLower".to_owned()),
                Some("DisabledLower".to_owned()),
                None,
                None
            ]
        );
        assert_eq!(
            variant_names(&["PREPAY", "Prepay", "PrePaid"], &[]),
            [Some("PrepayUpper".to_owned()), None, None]
        );
    }

    #[test]
    fn names_given_by_a_person_are_not_reused() {
        assert_eq!(
            variant_names(&["1"], &["V1".to_owned()]),
            [Some("V1_2".to_owned())]
        );
    }
}
