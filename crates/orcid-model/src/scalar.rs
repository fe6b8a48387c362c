//! Hand-written scalar types that keep ORCID's meaning: put-codes are Java
//! longs, fuzzy-date parts keep their lexical (zero-padded) form, timestamps
//! are instants with millisecond precision, ORCID iDs and URIs are typed.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::xml::{ValueError, XmlValue};

/// An item's put-code (`common:put-code`): ORCID stores it as a Java `long`,
/// JSON writes it as a number (R3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PutCode(pub i64);

impl fmt::Display for PutCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for PutCode {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        PutCode::parse_xml(s)
    }
}

impl XmlValue for PutCode {
    fn parse_xml(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        t.strip_prefix('+')
            .unwrap_or(t)
            .parse()
            .map(PutCode)
            .map_err(|_| ValueError(format!("`{text}` is not a put-code (an integer)")))
    }
    fn write_xml(&self, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(self.0));
    }
}

impl Serialize for PutCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for PutCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntVisitor("a put-code (integer)"))
            .map(PutCode)
    }
}

/// Accepts a JSON integer or a string holding one (Jackson coerces both).
struct IntVisitor(&'static str);

impl<'de> Visitor<'de> for IntVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v)
            .map_err(|_| E::custom(format_args!("{v} is out of range for a 64-bit integer")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// `xs:dateTime`: an instant, millisecond precision (R8). Read from XML it
/// keeps its lexical form so that XML round-trips exactly; written anew it
/// prints as ORCID does (UTC, `.mmm`, `Z`). In JSON it is epoch milliseconds.
/// A value without a timezone is taken as UTC, as ORCID's servers do.
#[derive(Clone)]
pub struct DateTime {
    millis: i64,
    lexical: Option<Box<str>>,
}

impl DateTime {
    /// The instant `millis` ms after 1970-01-01T00:00:00Z.
    pub fn from_epoch_millis(millis: i64) -> Self {
        DateTime {
            millis,
            lexical: None,
        }
    }

    /// Milliseconds since the epoch.
    pub fn epoch_millis(&self) -> i64 {
        self.millis
    }

    /// Parses `xs:dateTime` (surrounding whitespace is collapsed away).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        let millis = parse_xs_datetime(t).ok_or_else(|| {
            ValueError(format!(
                "`{text}` is not an xs:dateTime (e.g. 2017-03-07T10:15:30.123Z)"
            ))
        })?;
        let lexical = if t == format_canonical(millis) {
            None
        } else {
            Some(t.into())
        };
        Ok(DateTime { millis, lexical })
    }

    /// The canonical form ORCID writes: `YYYY-MM-DDThh:mm:ss.mmmZ`.
    pub fn to_canonical(&self) -> String {
        format_canonical(self.millis)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.millis == other.millis
    }
}
impl Eq for DateTime {}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({})", self.to_canonical())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.lexical {
            Some(l) => f.write_str(l),
            None => f.write_str(&self.to_canonical()),
        }
    }
}

impl XmlValue for DateTime {
    fn parse_xml(text: &str) -> Result<Self, ValueError> {
        DateTime::parse(text)
    }
    fn write_xml(&self, out: &mut String) {
        match &self.lexical {
            Some(l) => out.push_str(l),
            None => out.push_str(&self.to_canonical()),
        }
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.millis)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch milliseconds or an ISO date-time")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_epoch_millis(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_epoch_millis)
                    .map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v)
                    .map(|d| DateTime::from_epoch_millis(d.millis))
                    .map_err(|e| E::custom(e.0))
            }
        }
        d.deserialize_any(V)
    }
}

/// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y`.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str, n: usize) -> Option<i64> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Parses the lexical space of `xs:dateTime` into epoch milliseconds
/// (fractions below a millisecond are truncated, R8).
pub fn parse_xs_datetime(t: &str) -> Option<i64> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (date, time) = body.split_once('T')?;
    let mut dp = date.splitn(3, '-');
    let ys = dp.next()?;
    if ys.len() < 4
        || (ys.len() > 4 && ys.starts_with('0'))
        || !ys.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if ys.len() > 12 {
        return None;
    }
    let mut y: i64 = ys.parse().ok()?;
    if neg {
        y = -y;
    }
    let m = digits(dp.next()?, 2)?;
    let d = digits(dp.next()?, 2)?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // time zone
    let (clock, tz_min) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(p) = time.rfind(['+', '-']) {
        let (c, tz) = time.split_at(p);
        let sign = if tz.starts_with('-') { -1 } else { 1 };
        let (hh, mm) = tz[1..].split_once(':')?;
        let hh = digits(hh, 2)?;
        let mm = digits(mm, 2)?;
        if hh > 14 || mm > 59 || (hh == 14 && mm != 0) {
            return None;
        }
        (c, sign * (hh * 60 + mm))
    } else {
        (time, 0)
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (a, f),
        Some(_) => return None,
        None => (clock, ""),
    };
    let mut tp = hms.splitn(3, ':');
    let hh = digits(tp.next()?, 2)?;
    let mi = digits(tp.next()?, 2)?;
    let ss = digits(tp.next()?, 2)?;
    let ms: i64 = if frac.is_empty() {
        0
    } else {
        let f3: String = frac.chars().chain("000".chars()).take(3).collect();
        f3.parse().ok()?
    };
    let end_of_day = hh == 24 && mi == 0 && ss == 0 && frac.bytes().all(|b| b == b'0');
    if !(hh < 24 || end_of_day) || mi > 59 || ss > 59 {
        return None;
    }
    // Years beyond what epoch milliseconds in an i64 can hold are rejected
    // rather than overflowing (about ±292 million years).
    if y.abs() > 200_000_000 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let secs = days
        .checked_mul(86_400)?
        .checked_add(hh * 3600 + mi * 60 + ss - tz_min * 60)?;
    secs.checked_mul(1000)?.checked_add(ms)
}

/// `YYYY-MM-DDThh:mm:ss.mmmZ`.
pub fn format_canonical(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if y < 0 { "-" } else { "" };
    format!(
        "{sign}{:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        y.abs(),
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    )
}

macro_rules! lexical_int {
    ($(#[$doc:meta])* $name:ident, $what:literal, $pad:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(String);

        // Equal when they mean the same number: `3` and `03` are one month.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.value() == other.value()
            }
        }
        impl Eq for $name {}
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.value().hash(h)
            }
        }

        impl $name {
            /// From a number (written with the padding ORCID uses).
            pub fn new(value: i32) -> Self {
                $name(format!("{:0width$}", value, width = $pad))
            }
            /// The lexical form as read.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The numeric value.
            pub fn value(&self) -> i64 {
                self.0.trim().trim_start_matches('+').parse().unwrap_or(0)
            }
            /// The form ORCID's server writes in JSON (R8: month and day
            /// zero-padded to two digits).
            pub fn to_json_string(&self) -> String {
                let v = self.value();
                if $pad == 0 || v < 0 { self.0.trim().to_string() } else { format!("{:0width$}", v, width = $pad) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl XmlValue for $name {
            fn parse_xml(text: &str) -> Result<Self, ValueError> {
                let t = text.trim();
                let body = t.strip_prefix(['+', '-']).unwrap_or(t);
                if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) || body.len() > 9 {
                    return Err(ValueError(format!(concat!("`{}` is not a ", $what, " (an integer)"), text)));
                }
                Ok($name(t.to_string()))
            }
            fn write_xml(&self, out: &mut String) {
                out.push_str(&self.0);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_json_string())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", $what, " as a string or an integer"))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse_xml(v).map_err(|e| E::custom(e.0))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        // R14: an integer is accepted as its decimal text,
                        // unpadded, as Jackson sets ORCID's `String` field
                        // (`3`, which v3.0's date check refuses with 9049
                        // and v2.1's conversion pads: docs/orcid-api.md
                        // §2.3), within the bounds of the lexical form.
                        $name::parse_xml(&v.to_string()).map_err(|e| E::custom(e.0))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        $name::parse_xml(&v.to_string()).map_err(|e| E::custom(e.0))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

lexical_int!(
    /// `common:year` of a fuzzy date, kept as written.
    Year, "year", 0
);
lexical_int!(
    /// `common:month` of a fuzzy date, kept as written (`02` stays `02`).
    Month, "month", 2
);
lexical_int!(
    /// `common:day` of a fuzzy date, kept as written (`07` stays `07`).
    Day, "day", 2
);

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub String);

        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl XmlValue for $name {
            fn parse_xml(text: &str) -> Result<Self, ValueError> {
                Ok($name(text.to_string()))
            }
            fn write_xml(&self, out: &mut String) {
                out.push_str(&self.0);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name)
            }
        }
    };
}

string_newtype!(
    /// `xs:anyURI`: kept as written; checked by validation, not by reading.
    Uri
);
string_newtype!(
    /// An ORCID iD path (`common:orcid-path`), e.g. `0000-0002-1825-0097`.
    OrcidId
);

impl OrcidId {
    /// Reads an iD written as `0000-0002-1825-0097` or as its URI
    /// (`https://orcid.org/0000-0002-1825-0097`), with a lower-case `x`
    /// accepted; `None` unless the result [`is_valid`](OrcidId::is_valid).
    pub fn parse(text: &str) -> Option<OrcidId> {
        let t = text.trim();
        let bare = t
            .rsplit_once('/')
            .filter(|_| t.starts_with("http://") || t.starts_with("https://"))
            .map_or(t, |(_, id)| id);
        let id = OrcidId(bare.to_ascii_uppercase());
        id.is_valid().then_some(id)
    }

    /// Whether it has the `dddd-dddd-dddd-dddX` form and a valid ISO 7064
    /// 11,2 check character.
    pub fn is_valid(&self) -> bool {
        let s = self.0.as_bytes();
        if s.len() != 19 {
            return false;
        }
        let mut total: u32 = 0;
        let mut n = 0;
        for (i, &b) in s.iter().enumerate() {
            if i % 5 == 4 {
                if b != b'-' {
                    return false;
                }
                continue;
            }
            n += 1;
            if n == 16 {
                let expected = (12 - (total % 11)) % 11;
                return match b {
                    b'X' => expected == 10,
                    d if d.is_ascii_digit() => u32::from(d - b'0') == expected,
                    _ => false,
                };
            }
            if !b.is_ascii_digit() {
                return false;
            }
            total = (total + u32::from(b - b'0')) * 2;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_examples_from_r8() {
        for (xml, ms) in [
            ("2013-01-18T12:09:28.451Z", 1_358_510_968_451),
            ("2018-06-30T08:48:07.363Z", 1_530_348_487_363),
            ("2016-04-15T23:35:41.154Z", 1_460_763_341_154),
        ] {
            let d = DateTime::parse(xml).unwrap();
            assert_eq!(d.epoch_millis(), ms);
            assert_eq!(format_canonical(ms), xml);
        }
    }

    #[test]
    fn datetime_keeps_lexical_and_handles_zones() {
        let d = DateTime::parse("2001-12-31T12:00:00\n\t").unwrap();
        let mut s = String::new();
        d.write_xml(&mut s);
        assert_eq!(s, "2001-12-31T12:00:00");
        assert_eq!(d.to_canonical(), "2001-12-31T12:00:00.000Z");
        let z = DateTime::parse("2001-12-31T13:30:00+01:30").unwrap();
        assert_eq!(z.epoch_millis(), d.epoch_millis());
        for bad in [
            "2001-02-29T00:00:00Z",
            "2001-13-01T00:00:00Z",
            "not-a-date",
            "2001-01-01",
            "2001-01-01T25:00:00",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_keeps_its_text_and_json_pads_it() {
        let m = Month::parse_xml("02").unwrap();
        assert_eq!(m.as_str(), "02");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"02\"");
        let m = Month::parse_xml("3").unwrap();
        assert_eq!(m.as_str(), "3");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"03\"");
        // A JSON number reads as its text, as Jackson sets ORCID's field.
        let m: Month = serde_json::from_str("4").unwrap();
        assert_eq!(m.as_str(), "4");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"04\"");
    }

    #[test]
    fn orcid_checksum() {
        assert!(OrcidId::from("0000-0002-1825-0097").is_valid());
        assert!(OrcidId::from("0000-0001-5109-3700").is_valid());
        assert!(OrcidId::from("0000-0002-1694-233X").is_valid());
        assert!(!OrcidId::from("0000-0002-1825-0098").is_valid());
        assert!(!OrcidId::from("8888-XXXX").is_valid());
    }
}

macro_rules! schema {
    ($name:ident, $id:literal, $json:tt) => {
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $id.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($json)
            }
        }
    };
}

schema!(PutCode, "scalar.PutCode", {"type": "integer", "description": "put-code (R3: a number)"});
schema!(DateTime, "scalar.DateTime", {"type": "integer", "description": "epoch milliseconds (R8)"});
schema!(Year, "scalar.Year", {"type": "string", "pattern": "^[0-9]{4}$", "description": "fuzzy-date year (R8: a string)"});
schema!(Month, "scalar.Month", {"type": "string", "pattern": "^[0-9]{1,2}$", "description": "fuzzy-date month (R8: a zero-padded string)"});
schema!(Day, "scalar.Day", {"type": "string", "pattern": "^[0-9]{1,2}$", "description": "fuzzy-date day (R8: a zero-padded string)"});
schema!(Uri, "scalar.Uri", {"type": "string", "format": "uri-reference"});
schema!(OrcidId, "scalar.OrcidId", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"});

#[cfg(test)]
mod regression_tests {
    use super::*;

    #[test]
    fn huge_years_are_rejected_not_overflowed() {
        assert!(DateTime::parse("2222222222222222001-12-31T12:00:00").is_err());
        assert!(DateTime::parse("99999999999999-01-01T00:00:00").is_err());
        assert!(DateTime::parse("199999999-01-01T00:00:00Z").is_ok());
        let far = DateTime::from_epoch_millis(i64::MAX);
        assert!(!far.to_canonical().is_empty());
        let far = DateTime::from_epoch_millis(i64::MIN);
        assert!(!far.to_canonical().is_empty());
    }

    #[test]
    fn fuzzy_date_parts_from_json_integers_stay_in_bounds() {
        assert!(serde_json::from_str::<Month>("1009800000000").is_err());
        assert!(serde_json::from_str::<Month>("18446744073709551615").is_err());
        assert_eq!(serde_json::from_str::<Month>("7").unwrap().as_str(), "7");
    }

    #[test]
    fn fuzzy_date_parts_compare_by_value() {
        assert_eq!(
            Month::parse_xml("3").unwrap(),
            Month::parse_xml("03").unwrap()
        );
        assert_eq!(Year::parse_xml("0821").unwrap().to_json_string(), "0821");
        assert_eq!(Month::parse_xml("3").unwrap().to_json_string(), "03");
    }
}
