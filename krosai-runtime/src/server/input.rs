//! Reading a request's parameters from static descriptions.
//!
//! A generated handler describes each parameter once, as a [`Param`] (where
//! it travels, its wire name, its bounds), and reads it with one call on the
//! request's [`Input`], which collects every broken rule as a [`Violation`]
//! for the `400` answer.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use axum::http::request::Parts;
use regex::Regex;

use crate::bounds::{Bounds, Number};

use super::{
    cookie_pairs, deep_object_pairs, form_object_pairs, header_values, object_from_pairs,
    query_pairs, style_pairs, values, Pairs, Violation,
};

/// The longest parameter value accepted when the spec sets no `maxLength`.
pub const MAX_PARAMETER_LENGTH: usize = 2048;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl Location {
    /// The name violations report (`path`, `query`, `header`, `cookie`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One parameter, described once: where it travels, under which name, and
/// the rules its value must keep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// The name on the wire, as violations report it.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// The key the value is found under (the router's name for a path
    /// parameter; the wire name otherwise).
    pub key: &'static str,
    /// Absence is a violation.
    pub required: bool,
    /// The longest text accepted before anything is parsed.
    pub max_text: usize,
    /// A prefix each value starts with (`label`'s `.`, `matrix`'s `;id=`).
    pub prefix: Option<&'static str>,
    /// A `pattern` the text must match.
    pub pattern: Option<&'static str>,
    /// The bounds of the value.
    pub bounds: Bounds,
}

impl Param {
    const fn new(name: &'static str, location: Location) -> Self {
        Self {
            name,
            location,
            key: name,
            required: false,
            max_text: MAX_PARAMETER_LENGTH,
            prefix: None,
            pattern: None,
            bounds: Bounds::new(),
        }
    }

    /// A path parameter, found under the router's `key`.
    pub const fn path(name: &'static str, key: &'static str) -> Self {
        let mut param = Self::new(name, Location::Path);
        param.key = key;
        param.required = true;
        param
    }

    /// A query parameter.
    pub const fn query(name: &'static str) -> Self {
        Self::new(name, Location::Query)
    }

    /// A header.
    pub const fn header(name: &'static str) -> Self {
        Self::new(name, Location::Header)
    }

    /// A cookie.
    pub const fn cookie(name: &'static str) -> Self {
        Self::new(name, Location::Cookie)
    }

    /// Absence is a violation.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Each value starts with `prefix`, which is not part of it.
    pub const fn prefixed(mut self, prefix: &'static str) -> Self {
        self.prefix = Some(prefix);
        self
    }

    /// The text must match `pattern` (checked before it is parsed).
    pub const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// The value must be at least (`exclusive`: more than) `value`.
    pub const fn minimum(mut self, value: f64, exclusive: bool) -> Self {
        self.bounds = self.bounds.minimum(value, exclusive);
        self
    }

    /// The value must be at most (`exclusive`: less than) `value`.
    pub const fn maximum(mut self, value: f64, exclusive: bool) -> Self {
        self.bounds = self.bounds.maximum(value, exclusive);
        self
    }

    /// The text must have at least `count` characters.
    pub const fn min_length(mut self, count: usize) -> Self {
        self.bounds = self.bounds.min_length(count);
        self
    }

    /// The text must have at most `count` characters; longer input up to
    /// that length is read (the default cap is [`MAX_PARAMETER_LENGTH`]).
    pub const fn max_length(mut self, count: usize) -> Self {
        self.bounds = self.bounds.max_length(count);
        if count > self.max_text {
            self.max_text = count;
        }
        self
    }

    /// The violation of `rule` by this parameter.
    pub fn violation(&self, rule: impl Into<String>) -> Violation {
        Violation::new(self.name, self.location.as_str(), rule)
    }
}

/// How one text value becomes a typed one: the value, or the rules it
/// breaks (the parameter supplies the bounds).
pub type Parse<T> = fn(&Param, &str) -> Result<T, Vec<String>>;

/// A string, checked against `minLength`/`maxLength`.
pub fn text(param: &Param, raw: &str) -> Result<String, Vec<String>> {
    let broken = param.bounds.text_rules(raw);
    if broken.is_empty() {
        Ok(raw.to_owned())
    } else {
        Err(broken)
    }
}

/// The bytes of the text (`format: binary`/`byte` parameters).
pub fn bytes(_: &Param, raw: &str) -> Result<Vec<u8>, Vec<String>> {
    Ok(raw.as_bytes().to_vec())
}

fn bounded<T: Number>(param: &Param, value: T) -> Result<T, Vec<String>> {
    let broken = param.bounds.number_rules(value);
    if broken.is_empty() {
        Ok(value)
    } else {
        Err(broken)
    }
}

/// An integer; values beyond the 64-bit range saturate (a schema-valid
/// `page=10^30` is a page past the end, not a bad request), and the bounds
/// judge the result.
pub fn integer(param: &Param, raw: &str) -> Result<i64, Vec<String>> {
    let value = match raw.parse::<i64>() {
        Ok(value) => value,
        Err(_) => {
            let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(vec!["must be an integer".to_owned()]);
            }
            if raw.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    };
    bounded(param, value)
}

/// A 32-bit integer.
pub fn int32(param: &Param, raw: &str) -> Result<i32, Vec<String>> {
    let value = raw
        .parse::<i32>()
        .map_err(|_| vec!["must be a 32-bit integer".to_owned()])?;
    bounded(param, value)
}

/// A finite 64-bit number.
pub fn double(param: &Param, raw: &str) -> Result<f64, Vec<String>> {
    finite(param, raw)
}

/// A finite 32-bit number.
pub fn float(param: &Param, raw: &str) -> Result<f32, Vec<String>> {
    finite(param, raw)
}

fn finite<T>(param: &Param, raw: &str) -> Result<T, Vec<String>>
where
    T: std::str::FromStr + Number,
    f64: From<T>,
{
    let value = raw
        .parse::<T>()
        .map_err(|_| vec!["must be a number".to_owned()])?;
    if !f64::from(value).is_finite() {
        return Err(vec!["must be a finite number".to_owned()]);
    }
    bounded(param, value)
}

/// `true` or `false`.
pub fn boolean(_: &Param, raw: &str) -> Result<bool, Vec<String>> {
    raw.parse()
        .map_err(|_| vec!["must be `true` or `false`".to_owned()])
}

/// A value of `T`'s text form (`FromStr`), or the rule `must be {expected}`.
pub fn from_text<T: std::str::FromStr>(raw: &str, expected: &str) -> Result<T, Vec<String>> {
    raw.parse().map_err(|_| vec![format!("must be {expected}")])
}

/// One of the values a string enum lists (only those: a server accepts
/// nothing the spec does not).
pub fn string_enum<T: crate::enums::StringEnum>(_: &Param, raw: &str) -> Result<T, Vec<String>> {
    crate::enums::parse_known(raw).ok_or_else(|| {
        let values: Vec<String> = T::all().iter().map(|v| format!("`{}`", v.wire())).collect();
        vec![format!("must be one of {}", values.join(", "))]
    })
}

/// One of the values an integer enum lists.
pub fn integer_enum<T: crate::enums::IntegerEnum>(_: &Param, raw: &str) -> Result<T, Vec<String>> {
    raw.parse::<i64>()
        .ok()
        .and_then(T::from_wire)
        .ok_or_else(|| {
            let values: Vec<String> = T::all().iter().map(|v| format!("`{}`", v.wire())).collect();
            vec![format!("must be one of {}", values.join(", "))]
        })
}

/// A value given as JSON (`content`-encoded parameters, and structured
/// values the spec gives no text form for), held to the spec's enums
/// ([`strictly`](crate::enums::strictly)).
pub fn json<T: serde::de::DeserializeOwned>(_: &Param, raw: &str) -> Result<T, Vec<String>> {
    crate::enums::strictly(|| serde_json::from_str(raw))
        .map_err(|_| vec!["must be JSON of the documented schema".to_owned()])
}

/// How the items of an array parameter are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// One item per value (`form`, exploded: `id=1&id=2`).
    Repeated,
    /// Items separated by this text in each value (`1,2`, `1|2`, `.1.2`).
    Separated(&'static str),
}

/// How an object parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// `name[property]=value` (`deepObject`).
    DeepObject,
    /// Each property a query parameter of its own (`form`, exploded).
    Properties(&'static [&'static str]),
    /// Every query parameter is a key of the map (`form`, exploded, without
    /// listed properties).
    Query,
    /// One value: `k=v` items split on `separator` (exploded), or `k,v,k,v`
    /// split on `flat`.
    Styled {
        /// The item separator of an exploded value.
        separator: Option<char>,
        /// The separator of an unexploded value.
        flat: char,
    },
}

/// Compiled patterns, shared by every request (a pattern the `regex`
/// crate does not accept is never checked: the generator already left such
/// patterns out).
static PATTERNS: LazyLock<RwLock<HashMap<&'static str, Option<Regex>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn matches(pattern: &'static str, text: &str) -> bool {
    if let Ok(cache) = PATTERNS.read() {
        if let Some(compiled) = cache.get(pattern) {
            return compiled.as_ref().is_none_or(|regex| regex.is_match(text));
        }
    }
    let compiled = Regex::new(pattern).ok();
    let matched = compiled.as_ref().is_none_or(|regex| regex.is_match(text));
    if let Ok(mut cache) = PATTERNS.write() {
        cache.insert(pattern, compiled);
    }
    matched
}

/// A request's parameters, as text, and the violations found reading them.
/// The query string and the cookies are decoded once, when a parameter
/// first needs them.
#[derive(Debug)]
pub struct Input<'r> {
    parts: &'r Parts,
    path: Pairs,
    query: OnceCell<Pairs>,
    cookies: OnceCell<Pairs>,
    violations: Vec<Violation>,
}

impl<'r> Input<'r> {
    /// The parameters of the request `parts`, with the router's matched
    /// `path` parameters.
    pub fn new(parts: &'r Parts, path: Pairs) -> Self {
        Self {
            parts,
            path,
            query: OnceCell::new(),
            cookies: OnceCell::new(),
            violations: Vec::new(),
        }
    }

    /// The violations found so far, to which the body's may be added.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    fn query(&self) -> &Pairs {
        self.query.get_or_init(|| query_pairs(self.parts))
    }

    fn found(&self, param: &Param) -> Vec<&str> {
        let found = match param.location {
            Location::Path => values(&self.path, param.key),
            Location::Query => values(self.query(), param.key),
            Location::Header => header_values(self.parts, param.key),
            Location::Cookie => values(
                self.cookies.get_or_init(|| cookie_pairs(self.parts)),
                param.key,
            ),
        };
        match param.prefix {
            Some(prefix) => found
                .into_iter()
                .map(|v| v.strip_prefix(prefix).unwrap_or(v))
                .collect(),
            None => found,
        }
    }

    fn missing<T>(&mut self, param: &Param, value: &Option<T>) {
        let reported = self.violations.iter().any(|v| v.parameter == param.name);
        if param.required && value.is_none() && !reported {
            self.violations.push(param.violation("required"));
        }
    }

    /// The one value of a parameter that is not a list, if it has one of
    /// an acceptable length.
    fn single<'q>(
        violations: &mut Vec<Violation>,
        param: &Param,
        found: &[&'q str],
    ) -> Option<&'q str> {
        if found.len() > 1 {
            violations.push(param.violation("given more than once"));
            return None;
        }
        found
            .first()
            .copied()
            .filter(|raw| Self::short_enough(violations, param, raw))
    }

    /// Whether `raw` is within the parameter's text cap (recording the
    /// violation when not).
    fn short_enough(violations: &mut Vec<Violation>, param: &Param, raw: &str) -> bool {
        let short = raw.chars().count() <= param.max_text;
        if !short {
            violations.push(param.violation(format!("longer than {} characters", param.max_text)));
        }
        short
    }

    /// One text value, already within the cap, checked and parsed.
    fn read_one<T>(
        violations: &mut Vec<Violation>,
        param: &Param,
        raw: &str,
        parse: Parse<T>,
    ) -> Option<T> {
        // Checked on the text as sent, before it is parsed.
        if let Some(pattern) = param.pattern.filter(|pattern| !matches(pattern, raw)) {
            violations.push(param.violation(format!("pattern {pattern}")));
            return None;
        }
        match parse(param, raw) {
            Ok(value) => Some(value),
            Err(rules) => {
                violations.extend(rules.into_iter().map(|rule| param.violation(rule)));
                None
            }
        }
    }

    /// A parameter holding one value.
    pub fn scalar<T>(&mut self, param: &Param, parse: Parse<T>) -> Option<T> {
        let found = self.found(param);
        let mut violations = Vec::new();
        let value = Self::single(&mut violations, param, &found)
            .and_then(|raw| Self::read_one(&mut violations, param, raw, parse));
        self.violations.extend(violations);
        self.missing(param, &value);
        value
    }

    /// An array parameter (`None` when it has no value at all).
    pub fn list<T>(&mut self, param: &Param, items: Items, parse: Parse<T>) -> Option<Vec<T>> {
        let found = self.found(param);
        let value = if found.is_empty() {
            None
        } else {
            let texts: Vec<&str> = match items {
                Items::Repeated => found,
                Items::Separated(separator) => {
                    found.iter().flat_map(|v| v.split(separator)).collect()
                }
            };
            let mut violations = Vec::new();
            let mut out = Vec::with_capacity(texts.len());
            for raw in texts {
                if !Self::short_enough(&mut violations, param, raw) {
                    continue;
                }
                if let Some(item) = Self::read_one(&mut violations, param, raw, parse) {
                    out.push(item);
                }
            }
            let complete = violations.is_empty();
            self.violations.extend(violations);
            complete.then_some(out)
        };
        self.missing(param, &value);
        value
    }

    /// An object parameter.
    pub fn object<T: serde::de::DeserializeOwned>(
        &mut self,
        param: &Param,
        form: Object,
    ) -> Option<T> {
        let mut violations = Vec::new();
        let pairs = match form {
            Object::DeepObject => deep_object_pairs(self.query(), param.key),
            Object::Properties(properties) => form_object_pairs(self.query(), properties),
            Object::Query => Some(self.query().clone()).filter(|query| !query.is_empty()),
            Object::Styled { separator, flat } => {
                let found = self.found(param);
                Self::single(&mut violations, param, &found)
                    .map(|raw| style_pairs(raw, separator, flat))
            }
        };
        let value = pairs.and_then(|pairs| match object_from_pairs::<T>(&pairs) {
            Ok(value) => Some(value),
            Err(rule) => {
                violations.push(param.violation(rule));
                None
            }
        });
        self.violations.extend(violations);
        self.missing(param, &value);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::bad_request_parts;
    use crate::server::tests::parts;

    fn rules(input: Input<'_>) -> Vec<String> {
        input
            .into_violations()
            .into_iter()
            .map(|v| format!("{} ({}): {}", v.parameter, v.location, v.rule))
            .collect()
    }

    #[test]
    fn scalars_are_checked_for_repeats_length_and_presence() {
        let parts = parts("/?a=1&b=2&b=3&c=%C3%A9%C3%A9%C3%A9", &[("x-n", "7")]);
        let mut input = Input::new(&parts, vec![("p0".into(), "abc".into())]);
        assert_eq!(input.scalar(&Param::query("a"), integer), Some(1));
        assert_eq!(input.scalar(&Param::query("b"), integer), None);
        assert_eq!(
            input.scalar(&Param::query("c").max_length(3), text),
            Some("ééé".to_owned())
        );
        assert_eq!(input.scalar(&Param::query("c").min_length(4), text), None);
        assert_eq!(input.scalar(&Param::query("z").required(), text), None);
        assert_eq!(input.scalar(&Param::query("y"), text), None);
        assert_eq!(input.scalar(&Param::header("x-n"), int32), Some(7));
        assert_eq!(
            input.scalar(&Param::path("id", "p0"), text),
            Some("abc".to_owned())
        );
        assert_eq!(input.scalar(&Param::path("other", "p1"), text), None);
        assert_eq!(
            rules(input),
            [
                "b (query): given more than once",
                "c (query): minLength 4",
                "z (query): required",
                "other (path): required",
            ]
        );
    }

    #[test]
    fn numbers_saturate_and_keep_their_bounds() {
        let parts = parts(
            "/?big=1000000000000000000000&neg=-1000000000000000000000&f=1.5&x=x&inf=inf&n=0&m=10&e=5",
            &[],
        );
        let mut input = Input::new(&parts, Vec::new());
        assert_eq!(input.scalar(&Param::query("big"), integer), Some(i64::MAX));
        assert_eq!(input.scalar(&Param::query("neg"), integer), Some(i64::MIN));
        assert_eq!(input.scalar(&Param::query("f"), integer), None);
        assert_eq!(input.scalar(&Param::query("f"), double), Some(1.5));
        assert_eq!(input.scalar(&Param::query("x"), float), None);
        assert_eq!(input.scalar(&Param::query("inf"), double), None);
        let bounded = Param::query("n").minimum(1.0, false).maximum(9.0, false);
        assert_eq!(input.scalar(&bounded, integer), None);
        let bounded = Param::query("m").minimum(1.0, false).maximum(9.5, false);
        assert_eq!(input.scalar(&bounded, integer), None);
        let exclusive = Param::query("e").minimum(5.0, true);
        assert_eq!(input.scalar(&exclusive, double), None);
        assert_eq!(
            rules(input),
            [
                "f (query): must be an integer",
                "x (query): must be a number",
                "inf (query): must be a finite number",
                "n (query): minimum 1",
                "m (query): maximum 9.5",
                "e (query): exclusiveMinimum 5",
            ]
        );
    }

    #[test]
    fn patterns_are_checked_on_the_text_before_parsing() {
        let parts = parts("/?d=2024-01-01&e=1999-01-01", &[]);
        let mut input = Input::new(&parts, Vec::new());
        let param = |name| Param::query(name).pattern("^20[0-9]{2}-");
        assert_eq!(
            input.scalar(&param("d"), text),
            Some("2024-01-01".to_owned())
        );
        assert_eq!(input.scalar(&param("e"), text), None);
        // A pattern the regex crate cannot compile is not checked.
        let lookahead = Param::query("e").pattern("^(?=1)");
        assert_eq!(
            input.scalar(&lookahead, text),
            Some("1999-01-01".to_owned())
        );
        assert_eq!(rules(input), ["e (query): pattern ^20[0-9]{2}-"]);
    }

    crate::string_enum! {
        enum Color {
            Red = "red",
            Blue = "blue",
        }
    }

    crate::integer_enum! {
        enum Level {
            Low = 1,
            High = 2,
        }
    }

    #[test]
    fn enums_accept_only_their_values() {
        let parts = parts("/?c=red&d=green&l=2&m=3", &[]);
        let mut input = Input::new(&parts, Vec::new());
        assert_eq!(
            input.scalar(&Param::query("c"), string_enum),
            Some(Color::Red)
        );
        assert_eq!(input.scalar(&Param::query("d"), string_enum::<Color>), None);
        assert_eq!(
            input.scalar(&Param::query("l"), integer_enum),
            Some(Level::High)
        );
        assert_eq!(
            input.scalar(&Param::query("m"), integer_enum::<Level>),
            None
        );
        assert_eq!(
            rules(input),
            [
                "d (query): must be one of `red`, `blue`",
                "m (query): must be one of `1`, `2`",
            ]
        );
    }

    #[test]
    fn lists_are_repeated_or_separated_and_all_or_nothing() {
        let parts = parts("/?id=1&id=2&csv=3,4&bad=5,x&pipes=a|b", &[]);
        let mut input = Input::new(&parts, vec![("p0".into(), ".7.8".into())]);
        let ids = input.list(&Param::query("id"), Items::Repeated, integer);
        assert_eq!(ids, Some(vec![1, 2]));
        let csv = input.list(&Param::query("csv"), Items::Separated(","), integer);
        assert_eq!(csv, Some(vec![3, 4]));
        let bad = input.list(&Param::query("bad"), Items::Separated(","), integer);
        assert_eq!(bad, None);
        let pipes = input.list(&Param::query("pipes"), Items::Separated("|"), text);
        assert_eq!(pipes, Some(vec!["a".to_owned(), "b".to_owned()]));
        let label = Param::path("ids", "p0").prefixed(".");
        let labelled = input.list(&label, Items::Separated("."), integer);
        assert_eq!(labelled, Some(vec![7, 8]));
        let none = input.list(&Param::query("none").required(), Items::Repeated, integer);
        assert_eq!(none, None);
        assert_eq!(
            rules(input),
            ["bad (query): must be an integer", "none (query): required"]
        );
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Point {
        x: i64,
        y: i64,
    }

    #[test]
    fn objects_are_read_in_every_style() {
        let parts = parts("/?f[x]=1&f[y]=2&x=3&y=4&s=x,5,y,6&t=x", &[]);
        let mut input = Input::new(&parts, Vec::new());
        let deep = input.object(&Param::query("f"), Object::DeepObject);
        assert_eq!(deep, Some(Point { x: 1, y: 2 }));
        let form = input.object(&Param::query("p"), Object::Properties(&["x", "y"]));
        assert_eq!(form, Some(Point { x: 3, y: 4 }));
        let styled = Object::Styled {
            separator: None,
            flat: ',',
        };
        assert_eq!(
            input.object(&Param::query("s"), styled),
            Some(Point { x: 5, y: 6 })
        );
        assert_eq!(input.object::<Point>(&Param::query("t"), styled), None);
        let violations = input.into_violations();
        assert_eq!(violations.len(), 1);
        assert!(violations[0].rule.starts_with("must be an object"));
        let (message, details) = bad_request_parts(&violations);
        assert!(message.starts_with("invalid request: t (query): must be an object"));
        assert_eq!(details["violations"][0]["in"], "query");
        let parts = crate::server::tests::parts("/?a=1&b=2", &[]);
        let mut input = Input::new(&parts, Vec::new());
        let map: Option<std::collections::BTreeMap<String, i64>> =
            input.object(&Param::query("q"), Object::Query);
        assert_eq!(
            map.map(|m| m.into_iter().collect::<Vec<_>>()),
            Some(vec![("a".into(), 1), ("b".into(), 2)])
        );
    }

    #[test]
    fn json_and_text_forms_parse_as_documented() {
        let parts = parts(
            "/?j=%7B%22x%22%3A1%2C%22y%22%3A2%7D&k=nope&u=abc&b=true",
            &[],
        );
        let mut input = Input::new(&parts, Vec::new());
        assert_eq!(
            input.scalar(&Param::query("j"), json),
            Some(Point { x: 1, y: 2 })
        );
        assert_eq!(input.scalar(&Param::query("k"), json::<Point>), None);
        let parse: Parse<std::net::Ipv4Addr> = |_, raw| from_text(raw, "an IPv4 address");
        assert_eq!(input.scalar(&Param::query("u"), parse), None);
        assert_eq!(input.scalar(&Param::query("b"), boolean), Some(true));
        assert_eq!(
            input.scalar(&Param::query("b"), bytes),
            Some(b"true".to_vec())
        );
        assert_eq!(
            rules(input),
            [
                "k (query): must be JSON of the documented schema",
                "u (query): must be an IPv4 address",
            ]
        );
    }
}
