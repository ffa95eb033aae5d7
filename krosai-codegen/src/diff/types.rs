//! Named types compared by Rust name: structs field by field, enums value
//! by value, unions variant by variant.

use std::collections::{BTreeMap, BTreeSet};

use super::values::{constraint_changes, default_note, escape, field_text, render, wire, Use};
use super::{ChangeKind, Differ, Entry, RustImpact, Values, SAFE};
use crate::model::{
    Api, Constraints, Enum, Field, OneOf, SelectionRule, Struct, TypeDef, TypeKind,
};

impl<'a> Differ<'a> {
    /// Named types, matched by Rust name. Parameter structs are left to
    /// the operations, whose parameters they hold.
    pub(super) fn types(&mut self) {
        let index = |api: &'a Api| -> BTreeMap<String, &'a TypeDef> {
            api.types
                .iter()
                .filter(|t| !matches!(&t.kind, TypeKind::Struct(s) if s.parameters))
                .map(|t| (t.name.to_string(), t))
                .collect()
        };
        let old_types = index(self.old);
        let new_types = index(self.new);
        for old_def in &self.old.types {
            let name = old_def.name.to_string();
            if !old_types.contains_key(&name) || new_types.contains_key(&name) {
                continue;
            }
            self.push(Entry {
                kind: ChangeKind::TypeRemoved,
                pointer: old_def.origin.clone(),
                items: vec![format!("types::{name}")],
                message: format!("type `{name}` removed"),
                rust: RustImpact::Breaking,
                wire: SAFE,
            });
        }
        for new_def in &self.new.types {
            let name = new_def.name.to_string();
            let Some(fresh) = new_types.get(&name) else {
                continue;
            };
            match old_types.get(&name) {
                None => self.push(Entry {
                    kind: ChangeKind::TypeAdded,
                    pointer: fresh.origin.clone(),
                    items: vec![format!("types::{name}")],
                    message: format!("type `{name}` added"),
                    rust: RustImpact::Additive,
                    wire: SAFE,
                }),
                Some(old_def) => self.compare_type(old_def, new_def),
            }
        }
    }

    pub(super) fn compare_type(&mut self, old_def: &TypeDef, new_def: &TypeDef) {
        let name = new_def.name.to_string();
        let item = format!("types::{name}");
        let pointer = new_def.origin.clone();
        let usage = self.type_use(&name);
        if old_def.doc != new_def.doc {
            self.docs(
                pointer.clone(),
                vec![item.clone()],
                "documentation changed".to_owned(),
            );
        }
        self.deprecation(
            pointer.clone(),
            vec![item.clone()],
            old_def.deprecated,
            new_def.deprecated,
        );
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.compare_struct(&item, &pointer, a, b, usage)
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                self.compare_enum(&item, &pointer, a, b, usage)
            }
            (TypeKind::OneOf(a), TypeKind::OneOf(b)) => {
                self.compare_union(&item, &pointer, a, b, usage)
            }
            (TypeKind::Tuple(a), TypeKind::Tuple(b)) => {
                let texts = |api, items: &[crate::model::TupleItem]| {
                    items
                        .iter()
                        .map(|i| render(api, &i.ty))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let (old_text, new_text) = (texts(self.old, a), texts(self.new, b));
                if old_text != new_text {
                    let values = self.kind_values(&old_def.kind, &new_def.kind);
                    self.push(Entry {
                        kind: ChangeKind::TypeChanged,
                        pointer,
                        items: vec![item],
                        message: format!("`{name}` is `({new_text})`, was `({old_text})`"),
                        rust: RustImpact::Breaking,
                        wire: wire(values, usage, false),
                    });
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b))
            | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
                let (old_text, new_text) = (render(self.old, a), render(self.new, b));
                if old_text != new_text {
                    let values = self.values(a, b);
                    self.push(Entry {
                        kind: ChangeKind::TypeChanged,
                        pointer,
                        items: vec![item],
                        message: format!("`{name}` is `{new_text}`, was `{old_text}`"),
                        rust: RustImpact::Breaking,
                        wire: wire(values, usage, false),
                    });
                }
            }
            (a, b) => self.push(Entry {
                kind: ChangeKind::TypeChanged,
                pointer,
                items: vec![item],
                message: format!("`{name}` is now {}, was {}", kind_text(b), kind_text(a)),
                rust: RustImpact::Breaking,
                wire: wire(self.kind_values(a, b), usage, false),
            }),
        }
    }

    /// How the values of two kinds of type compare (an alias's target may
    /// be the same shape under another name).
    pub(super) fn kind_values(&self, old: &TypeKind, new: &TypeKind) -> Values {
        match (old, new) {
            (
                TypeKind::Alias(a) | TypeKind::Newtype(a),
                TypeKind::Alias(b) | TypeKind::Newtype(b),
            ) => self.values(a, b),
            (TypeKind::Tuple(a), TypeKind::Tuple(b)) if a.len() == b.len() => {
                a.iter().zip(b).fold(Values::Same, |values, (x, y)| {
                    values.and(self.values(&x.ty, &y.ty))
                })
            }
            _ => Values::Different,
        }
    }

    pub(super) fn compare_struct(
        &mut self,
        item: &str,
        pointer: &str,
        old: &Struct,
        new: &Struct,
        usage: Use,
    ) {
        let old_fields = fields_by_name(old);
        let new_fields = fields_by_name(new);
        let field_pointer = |f: &Field| {
            if !f.origin.is_empty() {
                f.origin.clone()
            } else if f.flatten {
                pointer.to_owned()
            } else {
                format!("{pointer}/properties/{}", escape(&f.wire))
            }
        };
        for f in &old.fields {
            let key = f.name.to_string();
            if new_fields.contains_key(&key) {
                continue;
            }
            let mut values = if f.required && !f.nullable {
                Values::Wider
            } else {
                Values::Same
            };
            if new.closed {
                values = values.and(Values::Narrower);
            }
            self.push(Entry {
                kind: ChangeKind::FieldRemoved,
                pointer: field_pointer(f),
                items: vec![format!("{item}::{key}")],
                message: format!(
                    "{} field `{}` removed",
                    if f.required { "required" } else { "optional" },
                    f.wire
                ),
                rust: RustImpact::Breaking,
                wire: wire(values, usage, false),
            });
        }
        for f in &new.fields {
            let key = f.name.to_string();
            let Some(old_field) = old_fields.get(&key) else {
                let mut values = if f.required {
                    Values::Narrower
                } else {
                    Values::Same
                };
                if old.closed {
                    values = values.and(Values::Wider);
                }
                let rust = if f.is_optional() {
                    RustImpact::Additive
                } else {
                    RustImpact::Breaking
                };
                self.push(Entry {
                    kind: ChangeKind::FieldAdded,
                    pointer: field_pointer(f),
                    items: vec![format!("{item}::{key}")],
                    message: format!(
                        "{} field `{}: {}` added",
                        if f.required { "required" } else { "optional" },
                        f.wire,
                        field_text(self.new, f)
                    ),
                    rust,
                    wire: wire(values, usage, false),
                });
                continue;
            };
            self.compare_field(
                &format!("{item}::{key}"),
                &field_pointer(f),
                old_field,
                f,
                usage,
            );
        }
        match (&old.additional, &new.additional) {
            (None, None) => {}
            (a, b) => {
                let (old_text, new_text) = (
                    a.as_ref().map(|t| render(self.old, t)),
                    b.as_ref().map(|t| render(self.new, t)),
                );
                if old_text != new_text {
                    let values = match (a, b) {
                        (Some(a), Some(b)) => self.values(a, b),
                        (None, Some(_)) => Values::Same,
                        _ => Values::Same,
                    };
                    let show =
                        |t: Option<String>| t.map_or("none".to_owned(), |t| format!("`{t}`"));
                    self.push(Entry {
                        kind: ChangeKind::FieldChanged,
                        pointer: format!("{pointer}/additionalProperties"),
                        items: vec![format!("{item}::{}", new.additional_name)],
                        message: format!(
                            "additional properties {} → {}",
                            show(old_text),
                            show(new_text)
                        ),
                        rust: if a.is_none() {
                            RustImpact::Additive
                        } else {
                            RustImpact::Breaking
                        },
                        wire: wire(values, usage, false),
                    });
                }
            }
        }
        if old.closed != new.closed {
            let values = if new.closed {
                Values::Narrower
            } else {
                Values::Wider
            };
            self.push(Entry {
                kind: ChangeKind::FieldChanged,
                pointer: format!("{pointer}/additionalProperties"),
                items: vec![item.to_owned()],
                message: if new.closed {
                    "no longer admits properties it does not declare".to_owned()
                } else {
                    "now admits properties it does not declare".to_owned()
                },
                rust: RustImpact::Docs,
                wire: wire(values, usage, false),
            });
        }
    }

    pub(super) fn compare_field(
        &mut self,
        item: &str,
        pointer: &str,
        old: &Field,
        new: &Field,
        usage: Use,
    ) {
        let items = vec![item.to_owned()];
        if old.doc != new.doc {
            self.docs(
                pointer.to_owned(),
                items.clone(),
                "documentation changed".to_owned(),
            );
        }
        self.deprecation(
            pointer.to_owned(),
            items.clone(),
            old.deprecated,
            new.deprecated,
        );
        if old.wire != new.wire {
            self.push(Entry {
                kind: ChangeKind::FieldChanged,
                pointer: pointer.to_owned(),
                items: items.clone(),
                message: format!("wire name `{}` → `{}`", old.wire, new.wire),
                rust: RustImpact::Docs,
                wire: wire(Values::Different, usage, false),
            });
        }
        let (old_text, new_text) = (field_text(self.old, old), field_text(self.new, new));
        let mut values = self.values(&old.ty, &new.ty);
        let mut notes = Vec::new();
        if old.required != new.required {
            values = values.and(if new.required {
                Values::Narrower
            } else {
                Values::Wider
            });
            notes.push(if new.required {
                "now required"
            } else {
                "now optional"
            });
        }
        if old.nullable != new.nullable {
            values = values.and(if new.nullable {
                Values::Wider
            } else {
                Values::Narrower
            });
            notes.push(if new.nullable {
                "now nullable"
            } else {
                "no longer nullable"
            });
        }
        if old_text != new_text || !notes.is_empty() {
            let mut message = if old_text != new_text {
                format!("type `{new_text}`, was `{old_text}`")
            } else {
                String::new()
            };
            for note in notes {
                if !message.is_empty() {
                    message.push_str("; ");
                }
                message.push_str(note);
            }
            self.push(Entry {
                kind: ChangeKind::FieldChanged,
                pointer: pointer.to_owned(),
                items: items.clone(),
                message: format!("field `{}`: {message}", new.wire),
                rust: if old_text != new_text {
                    RustImpact::Breaking
                } else {
                    RustImpact::Docs
                },
                wire: wire(values, usage, false),
            });
        }
        self.bounds(
            ChangeKind::FieldChanged,
            pointer,
            items,
            &new.wire,
            &old.constraints,
            &new.constraints,
            usage,
        );
    }

    /// Bound and default changes: checked where values are received by a
    /// server (clients check requests but not responses).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bounds(
        &mut self,
        kind: ChangeKind,
        pointer: &str,
        items: Vec<String>,
        wire_name: &str,
        old: &Constraints,
        new: &Constraints,
        usage: Use,
    ) {
        let (values, mut notes) = constraint_changes(old, new);
        if let Some(note) = default_note(old, new) {
            notes.push(note);
        }
        if notes.is_empty() {
            return;
        }
        let checked = Use {
            input: usage.input,
            output: false,
        };
        let verdict = match values {
            Values::Narrower => "narrower",
            Values::Wider => "wider",
            Values::Different => "changed",
            Values::Same => "",
        };
        let mut message = format!("`{wire_name}`: {}", notes.join(", "));
        if !verdict.is_empty() {
            message.push_str(&format!(" (bounds {verdict})"));
        }
        self.push(Entry {
            kind,
            pointer: pointer.to_owned(),
            items,
            message,
            rust: RustImpact::Docs,
            wire: wire(values, checked, false),
        });
    }

    pub(super) fn compare_enum(
        &mut self,
        item: &str,
        pointer: &str,
        old: &Enum,
        new: &Enum,
        usage: Use,
    ) {
        if old.repr != new.repr {
            self.push(Entry {
                kind: ChangeKind::EnumChanged,
                pointer: pointer.to_owned(),
                items: vec![item.to_owned()],
                message: "values changed between strings and integers".to_owned(),
                rust: RustImpact::Breaking,
                wire: wire(Values::Different, usage, false),
            });
            return;
        }
        let old_values: BTreeMap<&str, &str> = old
            .variants
            .iter()
            .map(|v| (v.wire.as_str(), v.name.as_str()))
            .collect();
        let new_values: BTreeSet<&str> = new.variants.iter().map(|v| v.wire.as_str()).collect();
        for v in &old.variants {
            if !new_values.contains(v.wire.as_str()) {
                self.member_removed(
                    ChangeKind::EnumValueRemoved,
                    pointer,
                    format!("{item}::{}", v.name),
                    format!("value `{}` removed", v.wire),
                    usage,
                );
            }
        }
        for v in &new.variants {
            match old_values.get(v.wire.as_str()) {
                None => self.member_added(
                    ChangeKind::EnumValueAdded,
                    pointer,
                    format!("{item}::{}", v.name),
                    format!(
                        "value `{}` added{}",
                        v.wire,
                        if old.unknown.is_some() {
                            " (old clients keep it as `Unknown`)"
                        } else {
                            ""
                        }
                    ),
                    (old.unknown.is_some(), new.unknown.is_some()),
                    usage,
                ),
                Some(old_name) if *old_name != v.name.as_str() => self.push(Entry {
                    kind: ChangeKind::EnumChanged,
                    pointer: pointer.to_owned(),
                    items: vec![format!("{item}::{}", v.name)],
                    message: format!(
                        "value `{}` is variant `{}`, was `{old_name}`",
                        v.wire, v.name
                    ),
                    rust: RustImpact::Breaking,
                    wire: SAFE,
                }),
                Some(_) => {}
            }
        }
        if old.unknown != new.unknown {
            let show = |n: &Option<crate::model::Name>| {
                n.as_ref().map_or("none".to_owned(), |n| format!("`{n}`"))
            };
            self.push(Entry {
                kind: ChangeKind::EnumChanged,
                pointer: pointer.to_owned(),
                items: vec![item.to_owned()],
                message: format!(
                    "the variant for other values is {}, was {}",
                    show(&new.unknown),
                    show(&old.unknown)
                ),
                rust: RustImpact::Breaking,
                wire: SAFE,
            });
        }
    }

    /// A value (variant) the new version adds to an enum (union); `open`:
    /// whether the old and the new one keep values they do not list.
    fn member_added(
        &mut self,
        kind: ChangeKind,
        pointer: &str,
        item: String,
        message: String,
        open: (bool, bool),
        usage: Use,
    ) {
        self.push(Entry {
            kind,
            pointer: pointer.to_owned(),
            items: vec![item],
            message,
            // A closed one can be matched exhaustively.
            rust: if open.1 {
                RustImpact::Additive
            } else {
                RustImpact::Breaking
            },
            wire: wire(Values::Wider, usage, open.0),
        });
    }

    /// A value (variant) of an enum (union) the new version no longer has.
    fn member_removed(
        &mut self,
        kind: ChangeKind,
        pointer: &str,
        item: String,
        message: String,
        usage: Use,
    ) {
        self.push(Entry {
            kind,
            pointer: pointer.to_owned(),
            items: vec![item],
            message,
            rust: RustImpact::Breaking,
            wire: wire(Values::Narrower, usage, false),
        });
    }

    pub(super) fn compare_union(
        &mut self,
        item: &str,
        pointer: &str,
        old: &OneOf,
        new: &OneOf,
        usage: Use,
    ) {
        let old_variants: BTreeMap<&str, &crate::model::OneOfVariant> =
            old.variants.iter().map(|v| (v.name.as_str(), v)).collect();
        let new_names: BTreeSet<&str> = new.variants.iter().map(|v| v.name.as_str()).collect();
        for v in &old.variants {
            if !new_names.contains(v.name.as_str()) {
                self.member_removed(
                    ChangeKind::VariantRemoved,
                    pointer,
                    format!("{item}::{}", v.name),
                    format!("variant `{}` removed", v.name),
                    usage,
                );
            }
        }
        for v in &new.variants {
            let new_text = render(self.new, &v.ty);
            match old_variants.get(v.name.as_str()) {
                None => self.member_added(
                    ChangeKind::VariantAdded,
                    pointer,
                    format!("{item}::{}", v.name),
                    format!(
                        "variant `{}({new_text})` added{}",
                        v.name,
                        if old.unknown.is_some() {
                            " (old clients keep its values as JSON in `Unknown`)"
                        } else {
                            ""
                        }
                    ),
                    (old.unknown.is_some(), new.unknown.is_some()),
                    usage,
                ),
                Some(old_variant) => {
                    let old_text = render(self.old, &old_variant.ty);
                    let boxed = (old_variant.boxed, v.boxed);
                    if old_text != new_text || boxed.0 != boxed.1 {
                        let values = self.values(&old_variant.ty, &v.ty);
                        self.push(Entry {
                            kind: ChangeKind::VariantChanged,
                            pointer: pointer.to_owned(),
                            items: vec![format!("{item}::{}", v.name)],
                            message: format!(
                                "variant `{}` holds `{new_text}`, was `{old_text}`",
                                v.name
                            ),
                            rust: RustImpact::Breaking,
                            wire: wire(values, usage, false),
                        });
                    }
                }
            }
        }
        if let (
            SelectionRule::Discriminator {
                property: old_property,
                mapping: old_mapping,
            },
            SelectionRule::Discriminator {
                property: new_property,
                mapping: new_mapping,
            },
        ) = (&old.rule, &new.rule)
        {
            if old_property != new_property {
                self.push(Entry {
                    kind: ChangeKind::VariantChanged,
                    pointer: format!("{pointer}/discriminator"),
                    items: vec![item.to_owned()],
                    message: format!("discriminator property `{old_property}` → `{new_property}`"),
                    rust: RustImpact::Docs,
                    wire: wire(Values::Different, usage, false),
                });
            } else {
                let named = |o: &OneOf, mapping: &[(String, usize)]| -> BTreeMap<String, String> {
                    mapping
                        .iter()
                        .map(|(value, index)| {
                            let variant = o
                                .variants
                                .get(*index)
                                .map(|v| v.name.to_string())
                                .unwrap_or_default();
                            (value.clone(), variant)
                        })
                        .collect()
                };
                let before = named(old, old_mapping);
                let after = named(new, new_mapping);
                for (value, variant) in &after {
                    let values = match before.get(value) {
                        None => Values::Wider,
                        Some(previous) if previous != variant => Values::Different,
                        Some(_) => continue,
                    };
                    self.push(Entry {
                        kind: ChangeKind::VariantChanged,
                        pointer: format!("{pointer}/discriminator"),
                        items: vec![format!("{item}::{variant}")],
                        message: format!("discriminator value `{value}` selects `{variant}`"),
                        rust: RustImpact::Docs,
                        wire: wire(values, usage, old.unknown.is_some()),
                    });
                }
                for value in before.keys().filter(|v| !after.contains_key(*v)) {
                    self.push(Entry {
                        kind: ChangeKind::VariantChanged,
                        pointer: format!("{pointer}/discriminator"),
                        items: vec![item.to_owned()],
                        message: format!("discriminator value `{value}` removed"),
                        rust: RustImpact::Docs,
                        wire: wire(Values::Narrower, usage, false),
                    });
                }
            }
        } else if std::mem::discriminant(&old.rule) != std::mem::discriminant(&new.rule) {
            self.push(Entry {
                kind: ChangeKind::VariantChanged,
                pointer: pointer.to_owned(),
                items: vec![item.to_owned()],
                message: match &new.rule {
                    SelectionRule::ByShape => {
                        "variants are chosen by shape, no longer by a discriminator".to_owned()
                    }
                    SelectionRule::Discriminator { property, .. } => {
                        format!("variants are chosen by the discriminator `{property}`")
                    }
                },
                rust: RustImpact::Docs,
                wire: wire(Values::Different, usage, false),
            });
        }
        if old.unknown != new.unknown {
            self.push(Entry {
                kind: ChangeKind::VariantChanged,
                pointer: pointer.to_owned(),
                items: vec![item.to_owned()],
                message: "the variant for other values changed name".to_owned(),
                rust: RustImpact::Breaking,
                wire: SAFE,
            });
        }
    }
}

fn fields_by_name(s: &Struct) -> BTreeMap<String, &Field> {
    s.fields.iter().map(|f| (f.name.to_string(), f)).collect()
}

fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::OneOf(_) => "a union",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Newtype(_) => "a newtype",
        TypeKind::Tuple(_) => "a tuple",
    }
}
