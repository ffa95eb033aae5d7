//! How the values two versions accept compare, where values travel, and
//! the wire verdicts that follow; Rust types as text.

use std::collections::{BTreeSet, HashMap};

use super::{Differ, Values, Wire};
use crate::model::{Api, Constraints, Field, Primitive, TypeId, TypeKind, TypeRef};

/// Which way values of a type travel: in requests (the client writes, the
/// server reads) and in responses (the server writes, the client reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Use {
    pub(super) input: bool,
    pub(super) output: bool,
}

impl Use {
    pub(super) const INPUT: Use = Use {
        input: true,
        output: false,
    };
    pub(super) const OUTPUT: Use = Use {
        input: false,
        output: true,
    };

    pub(super) fn or(self, other: Use) -> Use {
        Use {
            input: self.input || other.input,
            output: self.output || other.output,
        }
    }

    pub(super) fn and(self, other: Use) -> Use {
        Use {
            input: self.input && other.input,
            output: self.output && other.output,
        }
    }
}

/// The wire verdicts for values that changed so, travelling so. `kept`:
/// an old client keeps wider response values (open enums and unions).
pub(super) fn wire(values: Values, usage: Use, kept: bool) -> (Wire, Wire) {
    let narrower = matches!(values, Values::Narrower | Values::Different);
    let wider = matches!(values, Values::Wider | Values::Different);
    let mut old_client = Wire::Safe;
    let mut new_client = Wire::Safe;
    if usage.input {
        // A new server refuses what an old client still sends; an old
        // server refuses what a new client may now send.
        if narrower {
            old_client = Wire::Breaking;
        }
        if wider {
            new_client = Wire::Breaking;
        }
    }
    if usage.output {
        // An old client meets what a new server may now send; a new client
        // meets what an old server still sends.
        if wider && !(kept && values == Values::Wider) {
            old_client = Wire::Breaking;
        }
        if narrower {
            new_client = Wire::Breaking;
        }
    }
    (old_client, new_client)
}

/// The named types each direction reaches, by Rust name.
pub(super) fn usage(api: &Api) -> HashMap<String, Use> {
    let mut seen: HashMap<usize, Use> = HashMap::new();
    let mut stack: Vec<(TypeId, Use)> = Vec::new();
    let push = |stack: &mut Vec<(TypeId, Use)>, ty: &TypeRef, usage: Use| {
        if let Some(id) = named_in(ty) {
            stack.push((id, usage));
        }
    };
    for op in &api.operations {
        for p in &op.parameters {
            push(&mut stack, &p.ty, Use::INPUT);
        }
        if let Some(body) = &op.request_body {
            push(&mut stack, &body.ty, Use::INPUT);
        }
        for r in &op.responses {
            if let Some(body) = &r.body {
                push(&mut stack, &body.ty, Use::OUTPUT);
            }
            for h in &r.headers {
                push(&mut stack, &h.ty, Use::OUTPUT);
            }
            if let Some(id) = r.headers_type {
                stack.push((id, Use::OUTPUT));
            }
        }
    }
    while let Some((id, usage)) = stack.pop() {
        let known = seen.entry(id.0).or_default();
        let merged = known.or(usage);
        if merged == *known {
            continue;
        }
        *known = merged;
        let Some(def) = api.types.get(id.0) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    push(&mut stack, &f.ty, merged);
                }
                if let Some(a) = &s.additional {
                    push(&mut stack, a, merged);
                }
            }
            TypeKind::OneOf(o) => {
                for v in &o.variants {
                    push(&mut stack, &v.ty, merged);
                }
            }
            TypeKind::Alias(t) | TypeKind::Newtype(t) => push(&mut stack, t, merged),
            TypeKind::Tuple(items) => {
                for i in items {
                    push(&mut stack, &i.ty, merged);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    seen.into_iter()
        .filter_map(|(id, usage)| api.types.get(id).map(|t| (t.name.to_string(), usage)))
        .collect()
}

/// The named type inside arrays, maps and `Option`s, if any.
pub(super) fn named_in(ty: &TypeRef) -> Option<TypeId> {
    match ty.innermost().0 {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// A type as Rust source writes it, short (`Option<Vec<Call>>`).
pub(super) fn render(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api
            .types
            .get(id.0)
            .map(|t| t.name.to_string())
            .unwrap_or_default(),
        TypeRef::Primitive(p) => primitive_text(*p).to_owned(),
        TypeRef::Array(inner) => format!("Vec<{}>", render(api, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", render(api, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", render(api, inner)),
    }
}

pub(super) fn primitive_text(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "String",
        Primitive::Bool => "bool",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::Uuid => "Uuid",
        Primitive::DateTime => "DateTime<FixedOffset>",
        Primitive::Date => "NaiveDate",
        Primitive::Bytes => "Vec<u8>",
        Primitive::Json => "Value",
        Primitive::JsonObject => "Map<String, Value>",
    }
}

/// A field's type as the struct declares it.
pub(super) fn field_text(api: &Api, f: &Field) -> String {
    let mut text = render(api, &f.ty);
    if f.boxed {
        text = format!("Box<{text}>");
    }
    if f.is_optional() {
        text = format!("Option<{text}>");
    }
    text
}

/// `~` and `/` escaped for a JSON pointer segment.
pub(super) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// How the values of two primitives compare.
pub(super) fn primitive_values(old: Primitive, new: Primitive) -> Values {
    use Primitive::*;
    if old == new {
        return Values::Same;
    }
    match (old, new) {
        (_, Json) => Values::Wider,
        (Json, _) => Values::Narrower,
        (I32, I64) | (I32 | I64, F64) | (F32, F64) | (I32, F32) => Values::Wider,
        (I64, I32) | (F64, I32 | I64) | (F64, F32) | (F32, I32) => Values::Narrower,
        (Uuid | DateTime | Date, String) => Values::Wider,
        (String, Uuid | DateTime | Date) => Values::Narrower,
        (JsonObject, _) | (_, JsonObject) => Values::Different,
        _ => Values::Different,
    }
}

/// How the values of two numeric or length bounds compare.
pub(super) fn bound_values(old: Option<f64>, new: Option<f64>, lower: bool) -> Values {
    match (old, new) {
        (None, None) => Values::Same,
        (None, Some(_)) => Values::Narrower,
        (Some(_), None) => Values::Wider,
        (Some(a), Some(b)) if a == b => Values::Same,
        (Some(a), Some(b)) => {
            if (b > a) == lower {
                Values::Narrower
            } else {
                Values::Wider
            }
        }
    }
}

/// The bounds that changed, and how the values they admit compare.
pub(super) fn constraint_changes(old: &Constraints, new: &Constraints) -> (Values, Vec<String>) {
    let mut values = Values::Same;
    let mut notes = Vec::new();
    let mut check =
        |name: &str, o: Option<f64>, n: Option<f64>, lower: bool, excl: (bool, bool)| {
            let mut v = bound_values(o, n, lower);
            if v == Values::Same && o.is_some() && excl.0 != excl.1 {
                v = if excl.1 {
                    Values::Narrower
                } else {
                    Values::Wider
                };
            }
            if v != Values::Same {
                let show = |b: Option<f64>| b.map_or("none".to_owned(), |b| b.to_string());
                notes.push(format!("`{name}` {} → {}", show(o), show(n)));
                values = values.and(v);
            }
        };
    let excl = |b: &Option<crate::model::Bound>| b.is_some_and(|b| b.exclusive);
    check(
        "minimum",
        old.minimum.map(|b| b.value),
        new.minimum.map(|b| b.value),
        true,
        (excl(&old.minimum), excl(&new.minimum)),
    );
    check(
        "maximum",
        old.maximum.map(|b| b.value),
        new.maximum.map(|b| b.value),
        false,
        (excl(&old.maximum), excl(&new.maximum)),
    );
    let as_f64 = |v: Option<u64>| v.map(|v| v as f64);
    let plain = (false, false);
    check(
        "minLength",
        as_f64(old.min_length),
        as_f64(new.min_length),
        true,
        plain,
    );
    check(
        "maxLength",
        as_f64(old.max_length),
        as_f64(new.max_length),
        false,
        plain,
    );
    check(
        "minItems",
        as_f64(old.min_items),
        as_f64(new.min_items),
        true,
        plain,
    );
    check(
        "maxItems",
        as_f64(old.max_items),
        as_f64(new.max_items),
        false,
        plain,
    );
    if old.pattern != new.pattern {
        let v = match (&old.pattern, &new.pattern) {
            (None, Some(_)) => Values::Narrower,
            (Some(_), None) => Values::Wider,
            _ => Values::Different,
        };
        values = values.and(v);
        notes.push(format!(
            "`pattern` {} → {}",
            old.pattern.as_deref().unwrap_or("none"),
            new.pattern.as_deref().unwrap_or("none")
        ));
    }
    (values, notes)
}

/// A default value's change, as a note (what an omitted value means).
pub(super) fn default_note(old: &Constraints, new: &Constraints) -> Option<String> {
    if old.default == new.default {
        return None;
    }
    let show =
        |v: &Option<serde_json::Value>| v.as_ref().map_or("none".to_owned(), |v| v.to_string());
    Some(format!(
        "default {} → {}",
        show(&old.default),
        show(&new.default)
    ))
}

impl<'a> Differ<'a> {
    /// How the values of a type in the old version compare with those of
    /// a type in the new one, by shape: a type renamed with the same shape
    /// has the same values. Changes inside a type both versions name alike
    /// are reported with that type, so it counts as the same here.
    pub(super) fn values(&self, old: &TypeRef, new: &TypeRef) -> Values {
        let mut seen = BTreeSet::new();
        self.values_at(old, new, &mut seen, 0)
    }

    pub(super) fn values_at(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        seen: &mut BTreeSet<(usize, usize)>,
        depth: usize,
    ) -> Values {
        // A bounded look: past this depth, shapes count as different.
        if depth > 24 {
            return Values::Different;
        }
        let (old, new) = (self.old.resolve(old), self.new.resolve(new));
        match (old, new) {
            (TypeRef::Primitive(a), TypeRef::Primitive(b)) => primitive_values(*a, *b),
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.values_at(a, b, seen, depth + 1)
            }
            (TypeRef::Nullable(a), TypeRef::Nullable(b)) => self.values_at(a, b, seen, depth + 1),
            (TypeRef::Nullable(a), b) => {
                self.values_at(a, b, seen, depth + 1).and(Values::Narrower)
            }
            (a, TypeRef::Nullable(b)) => self.values_at(a, b, seen, depth + 1).and(Values::Wider),
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let (old_def, new_def) = (self.old.ty(*a), self.new.ty(*b));
                if old_def.name == new_def.name || !seen.insert((a.0, b.0)) {
                    return Values::Same;
                }
                self.shape_values(&old_def.kind, &new_def.kind, seen, depth + 1)
            }
            (TypeRef::Named(a), TypeRef::Primitive(Primitive::String)) => {
                match &self.old.ty(*a).kind {
                    TypeKind::Enum(e) if e.repr == crate::model::EnumRepr::String => Values::Wider,
                    _ => Values::Different,
                }
            }
            (TypeRef::Primitive(Primitive::String), TypeRef::Named(b)) => {
                match &self.new.ty(*b).kind {
                    TypeKind::Enum(e) if e.repr == crate::model::EnumRepr::String => {
                        Values::Narrower
                    }
                    _ => Values::Different,
                }
            }
            (_, TypeRef::Primitive(Primitive::Json)) => Values::Wider,
            (TypeRef::Primitive(Primitive::Json), _) => Values::Narrower,
            _ => Values::Different,
        }
    }

    pub(super) fn shape_values(
        &self,
        old: &TypeKind,
        new: &TypeKind,
        seen: &mut BTreeSet<(usize, usize)>,
        depth: usize,
    ) -> Values {
        match (old, new) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                let mut values = Values::Same;
                if a.closed != b.closed {
                    values = values.and(if b.closed {
                        Values::Narrower
                    } else {
                        Values::Wider
                    });
                }
                for f in &a.fields {
                    match b.fields.iter().find(|g| g.wire == f.wire) {
                        None if f.required => values = values.and(Values::Wider),
                        None => {}
                        Some(g) => {
                            let mut v = self.values_at(&f.ty, &g.ty, seen, depth);
                            if f.required != g.required {
                                v = v.and(if g.required {
                                    Values::Narrower
                                } else {
                                    Values::Wider
                                });
                            }
                            if f.nullable != g.nullable {
                                v = v.and(if g.nullable {
                                    Values::Wider
                                } else {
                                    Values::Narrower
                                });
                            }
                            values = values.and(v);
                        }
                    }
                }
                for g in &b.fields {
                    if g.required && !a.fields.iter().any(|f| f.wire == g.wire) {
                        values = values.and(Values::Narrower);
                    }
                }
                values
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                if a.repr != b.repr {
                    return Values::Different;
                }
                let old_set: BTreeSet<&str> = a.variants.iter().map(|v| v.wire.as_str()).collect();
                let new_set: BTreeSet<&str> = b.variants.iter().map(|v| v.wire.as_str()).collect();
                match (old_set.is_subset(&new_set), new_set.is_subset(&old_set)) {
                    (true, true) => Values::Same,
                    (true, false) => Values::Wider,
                    (false, true) => Values::Narrower,
                    (false, false) => Values::Different,
                }
            }
            (TypeKind::OneOf(a), TypeKind::OneOf(b)) if a.variants.len() == b.variants.len() => {
                let mut values = Values::Same;
                for (x, y) in a.variants.iter().zip(&b.variants) {
                    values = values.and(self.values_at(&x.ty, &y.ty, seen, depth));
                }
                values
            }
            (
                TypeKind::Alias(a) | TypeKind::Newtype(a),
                TypeKind::Alias(b) | TypeKind::Newtype(b),
            ) => self.values_at(a, b, seen, depth),
            (TypeKind::Tuple(a), TypeKind::Tuple(b)) if a.len() == b.len() => {
                let mut values = Values::Same;
                for (x, y) in a.iter().zip(b) {
                    values = values.and(self.values_at(&x.ty, &y.ty, seen, depth));
                }
                values
            }
            _ => Values::Different,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Use = Use {
        input: true,
        output: true,
    };

    #[test]
    fn the_receiving_side_breaks_when_it_accepts_less() {
        use Wire::{Breaking as B, Safe as S};
        // Requests: the new server receives what old clients send.
        assert_eq!(wire(Values::Narrower, Use::INPUT, false), (B, S));
        assert_eq!(wire(Values::Wider, Use::INPUT, false), (S, B));
        // Responses: old clients receive what the new server sends.
        assert_eq!(wire(Values::Wider, Use::OUTPUT, false), (B, S));
        assert_eq!(wire(Values::Narrower, Use::OUTPUT, false), (S, B));
        // Open enums keep wider response values; servers stay strict.
        assert_eq!(wire(Values::Wider, Use::OUTPUT, true), (S, S));
        assert_eq!(wire(Values::Wider, BOTH, true), (S, B));
        assert_eq!(wire(Values::Different, BOTH, true), (B, B));
        assert_eq!(wire(Values::Same, BOTH, false), (S, S));
        assert_eq!(wire(Values::Different, Use::default(), false), (S, S));
    }

    #[test]
    fn values_combine_only_when_they_agree() {
        assert_eq!(Values::Same.and(Values::Wider), Values::Wider);
        assert_eq!(Values::Narrower.and(Values::Narrower), Values::Narrower);
        assert_eq!(Values::Narrower.and(Values::Wider), Values::Different);
        assert_eq!(
            bound_values(Some(100.0), Some(50.0), false),
            Values::Narrower
        );
        assert_eq!(bound_values(Some(1.0), Some(0.0), true), Values::Wider);
        assert_eq!(bound_values(None, Some(3.0), true), Values::Narrower);
        assert_eq!(
            primitive_values(Primitive::I32, Primitive::I64),
            Values::Wider
        );
        assert_eq!(
            primitive_values(Primitive::String, Primitive::Uuid),
            Values::Narrower
        );
        assert_eq!(
            primitive_values(Primitive::I64, Primitive::String),
            Values::Different
        );
    }
}
