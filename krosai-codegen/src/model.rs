//! The intermediate model: plain data that owns every naming and typing
//! decision, built by `lower` from the spec and read by `emit`.
//!
//! Nothing here knows `openapiv3` or `proc_macro2`. Every item carries two
//! names where it matters: the wire name from the spec (used for
//! `#[serde(rename)]`, query keys, header names) and the Rust identifier
//! chosen by the naming pass (already sanitized and unique in its scope).

use serde_json::Value;

/// A Rust identifier decided by lowering, kept apart from the spec text it
/// was made from (which the model keeps as `wire`): the identifier's text,
/// and whether it must be written raw (`r#type`). Its `Display` is the
/// identifier as Rust source writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Name {
    text: String,
    raw: bool,
}

impl Name {
    /// The name of a valid identifier as Rust source writes it (`r#type`
    /// is `type`, raw).
    pub fn from_source(source: &str) -> Self {
        match source.strip_prefix("r#") {
            Some(text) => Name {
                text: text.to_owned(),
                raw: true,
            },
            None => Name {
                text: source.to_owned(),
                raw: false,
            },
        }
    }

    /// The identifier's text, without `r#` (`type`, `ListCalls`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it is written as a raw identifier (`r#type`).
    pub fn is_raw(&self) -> bool {
        self.raw
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.text)
    }
}

/// A whole API: its types and its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.summary` (OpenAPI 3.1): documents `API_TITLE`, and is the
    /// `description` of a generated crate.
    pub summary: Option<String>,
    /// `info.license.identifier` (OpenAPI 3.1), an SPDX expression: the
    /// `license` of a generated crate.
    pub license: Option<String>,
    /// `servers`, in spec order.
    pub servers: Vec<Server>,
    /// Every named type, in a deterministic order; a [`TypeId`] indexes it.
    pub types: Vec<TypeDef>,
    /// Every operation, in spec order (paths, then methods in the order
    /// get, put, post, delete, options, head, patch, trace).
    pub operations: Vec<Operation>,
    /// `components.securitySchemes`, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The top-level `security`: alternatives, each a set of scheme names.
    pub security: Vec<Vec<String>>,
    /// Tags, in spec order (declared tags first, then any used but not
    /// declared).
    pub tags: Vec<Tag>,
    /// The effective document as compact JSON, served by the generated
    /// router at `/openapi.json`.
    pub document: String,
    /// The server traits, one per first tag that has operations, in
    /// declared tag order.
    pub server_traits: Vec<ServerTrait>,
    /// The shared response components (`#/components/responses/…`) that
    /// the server module turns into types of their own, in order of first
    /// use.
    pub shared_responses: Vec<SharedResponse>,
    /// Header parameters every operation has: the client builder takes a
    /// default for each once (`x-organization-id` → `.organization_id(…)`).
    pub client_defaults: Vec<ClientDefault>,
    /// A generated name is also a name of Rust's prelude (`Option`,
    /// `String`, `Some`...): generated code then writes `::std::…` paths
    /// for them instead of the short names.
    pub prelude_shadowed: bool,
    /// The server traits' methods have a default body that answers `501
    /// Not Implemented` (the response enums' [`UNIMPLEMENTED_VARIANT`]), so
    /// that a server can implement one operation at a time; off, every
    /// method must be written (`Generator::require_all_methods`).
    pub server_defaults: bool,
    /// What the generator could not map from the document and left out
    /// (an OpenAPI 3.2 `QUERY` operation...), each at its node: `generate`
    /// prints them as warnings.
    pub notes: Vec<crate::error::Diagnostic>,
}

/// The variant of every server response enum that answers `501 Not
/// Implemented` in the spec's error schema: what a trait method a server
/// does not implement returns. No documented status takes this name
/// ([`StatusSpec::reason_name`] calls 501 `NotImplemented`).
pub const UNIMPLEMENTED_VARIANT: &str = "Unimplemented";

impl Api {
    /// The operations the client calls: all but webhooks, in spec order.
    pub fn called(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().filter(|op| op.is_called())
    }

    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Follows aliases to the type a reference finally denotes (at most
    /// 32 steps: lowering turns alias cycles into newtypes, and a deeper
    /// chain stops where it got to).
    pub fn resolve<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..32 {
            match ty {
                TypeRef::Named(id) => match self.types.get(id.0).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner)) => ty = inner,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// What a reference denotes after aliases, when that is a generated
    /// type (a struct, enum, union or newtype).
    pub fn kind_of(&self, ty: &TypeRef) -> Option<&TypeKind> {
        match self.resolve(ty) {
            TypeRef::Named(id) => self.types.get(id.0).map(|t| &t.kind),
            _ => None,
        }
    }

    /// The primitive a reference denotes after aliases, if it is one.
    pub fn primitive_of(&self, ty: &TypeRef) -> Option<Primitive> {
        match self.resolve(ty) {
            TypeRef::Primitive(p) => Some(*p),
            _ => None,
        }
    }

    /// Makes every enum and union closed: values the spec does not list
    /// are refused instead of kept (see `Generator::closed_enums`).
    pub fn close_enums(&mut self) {
        for ty in &mut self.types {
            match &mut ty.kind {
                TypeKind::Enum(e) => e.unknown = None,
                TypeKind::OneOf(o) => o.unknown = None,
                _ => {}
            }
        }
    }

    /// Whether any operation has a request body in this encoding.
    pub fn uses_body(&self, encoding: BodyEncoding) -> bool {
        self.operations.iter().any(|o| {
            o.request_body
                .as_ref()
                .is_some_and(|b| b.encoding == encoding)
        })
    }

    /// Whether any type or operation uses this primitive.
    pub fn uses(&self, primitive: Primitive) -> bool {
        let in_types = self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().any(|f| f.ty.uses(primitive))
                    || s.additional.as_ref().is_some_and(|a| a.uses(primitive))
            }
            TypeKind::OneOf(o) => o.variants.iter().any(|v| v.ty.uses(primitive)),
            TypeKind::Alias(a) | TypeKind::Newtype(a) => a.uses(primitive),
            TypeKind::Tuple(items) => items.iter().any(|i| i.ty.uses(primitive)),
            TypeKind::Enum(_) => false,
        });
        let in_operations = self.operations.iter().any(|o| {
            o.parameters.iter().any(|p| p.ty.uses(primitive))
                || o.request_body
                    .as_ref()
                    .is_some_and(|b| b.ty.uses(primitive))
                || o.responses
                    .iter()
                    .any(|r| r.body.as_ref().is_some_and(|b| b.ty.uses(primitive)))
        });
        in_types || in_operations
    }
}

/// An entry of `servers`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL, variables left as written.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
}

/// A tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The wire name (the server trait it gives its operations is named in
    /// [`Api::server_traits`]).
    pub wire: String,
    /// Its description.
    pub description: Option<String>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`.
    pub wire: String,
    /// The `UpperCamelCase` variant naming the scheme in the client's
    /// `AuthScheme` and the server's `Credentials`, unique among schemes.
    pub name: Name,
    /// How credentials travel.
    pub kind: SecurityKind,
    /// Its description.
    pub description: Option<String>,
}

/// How a security scheme carries credentials.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: apiKey`, in a header.
    ApiKeyHeader(String),
    /// `type: apiKey`, in a query parameter.
    ApiKeyQuery(String),
    /// `type: apiKey`, in a cookie.
    ApiKeyCookie(String),
    /// OAuth2, OpenID Connect or another HTTP scheme: carried as a bearer
    /// token where that makes sense, otherwise left to the user.
    Other(String),
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A named Rust type to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique among types.
    pub name: Name,
    /// The JSON pointer of the schema this type comes from.
    pub origin: String,
    /// Documentation (from `title` and `description`).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object schema (or a flattened `allOf`).
    Struct(Struct),
    /// A string (or integer) `enum`.
    Enum(Enum),
    /// A `oneOf` or `anyOf`.
    OneOf(OneOf),
    /// A named schema that is just another type (`type: array`, a primitive,
    /// a `$ref`): a `type` alias.
    Alias(TypeRef),
    /// Like an alias, but the type refers to itself (`Tree = Vec<Tree>`),
    /// which a `type` alias cannot: a transparent newtype struct.
    Newtype(TypeRef),
    /// An array of a fixed number of items, each of its own type
    /// (OpenAPI 3.1 `prefixItems` with no items after them): a tuple
    /// struct, written as a JSON array.
    Tuple(Vec<TupleItem>),
}

/// One position of a [`TypeKind::Tuple`].
#[derive(Debug, Clone, PartialEq)]
pub struct TupleItem {
    /// Its type (`Nullable` when the position admits `null`).
    pub ty: TypeRef,
    /// Held in a `Box` to break a by-value cycle.
    pub boxed: bool,
}

/// A struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields, in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema (or `true`): extra keys are kept
    /// in a flattened map of this value type.
    pub additional: Option<TypeRef>,
    /// The Rust name of the field that holds the extra keys (unique among
    /// the fields; meaningful only with `additional`).
    pub additional_name: Name,
    /// `additionalProperties: false`.
    pub closed: bool,
    /// The struct holds an operation's parameters, not a JSON body.
    pub parameters: bool,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name, unique in the struct.
    pub name: Name,
    /// The value type (without the `Option` that `required`/`nullable` add).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true` (on the property or the schema it refers to).
    pub nullable: bool,
    /// The field must be boxed to break a cycle of types that contain each
    /// other by value.
    pub boxed: bool,
    /// The field holds a union that is part of an `allOf`: its keys are
    /// those of the struct itself (`#[serde(flatten)]`), `wire` is empty.
    pub flatten: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
    /// Bounds and default.
    pub constraints: Constraints,
    /// The JSON pointer of the property's schema (empty where the field
    /// does not come from a property).
    pub origin: String,
}

impl Field {
    /// A field with just a wire name, a type, `required` and docs (not yet
    /// named by the naming pass; nothing nullable, boxed or deprecated).
    pub fn plain(wire: String, ty: TypeRef, required: bool, doc: Option<String>) -> Self {
        Field {
            wire,
            name: Name::default(),
            ty,
            required,
            nullable: false,
            boxed: false,
            flatten: false,
            doc,
            deprecated: false,
            read_only: false,
            write_only: false,
            constraints: Constraints::default(),
            origin: String::new(),
        }
    }

    /// The field is `Option<T>` in Rust.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// Validation keywords and the default value of a schema, kept for the
/// client and the server to check and apply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// `minimum` (and whether `exclusiveMinimum` is set).
    pub minimum: Option<Bound>,
    /// `maximum` (and whether `exclusiveMaximum` is set).
    pub maximum: Option<Bound>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `default`.
    pub default: Option<Value>,
}

impl Constraints {
    /// Whether any bound is set (the default does not count).
    pub fn has_bounds(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
    }
}

/// A numeric bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The value.
    pub value: f64,
    /// The bound itself is excluded.
    pub exclusive: bool,
}

/// A string or integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Variants, in spec order.
    pub variants: Vec<EnumVariant>,
    /// Whether the values are strings or integers on the wire.
    pub repr: EnumRepr,
    /// The variant that keeps a value the spec does not list (an open
    /// enum, the default), unique among the variants; `None` for a closed
    /// enum, which refuses other values.
    pub unknown: Option<Name>,
}

/// How enum values are written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire, as text (`"completed"`, `"42"`).
    pub wire: String,
    /// The Rust variant name, unique in the enum.
    pub name: Name,
}

/// A `oneOf`/`anyOf`: an enum with one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    /// Alternatives, in spec order.
    pub variants: Vec<OneOfVariant>,
    /// How a JSON value picks its variant.
    pub rule: SelectionRule,
    /// It was an `anyOf` (several may match; the best one is taken).
    pub any_of: bool,
    /// The variant that keeps, as JSON, a value no alternative holds (an
    /// open union, the default), unique among the variants; `None` for a
    /// closed union, which refuses such values.
    pub unknown: Option<Name>,
}

/// One alternative of a [`OneOf`].
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// The Rust variant name, unique in the enum.
    pub name: Name,
    /// The type it holds.
    pub ty: TypeRef,
    /// The variant must be boxed to break a cycle.
    pub boxed: bool,
    /// What JSON values of this variant look like.
    pub shape: Shape,
}

/// How deserialisation picks a variant of a [`OneOf`].
#[derive(Debug, Clone, PartialEq)]
pub enum SelectionRule {
    /// By the shape of the JSON value (see [`Shape`]), never by trying the
    /// variants in declaration order alone.
    ByShape,
    /// By the value of a discriminator property: `(wire value, variant
    /// index)` pairs.
    Discriminator {
        /// The property name.
        property: String,
        /// Which value selects which variant.
        mapping: Vec<(String, usize)>,
    },
}

/// The JSON shape of a type, as far as the schema says.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A JSON object.
    Object {
        /// Declared property names.
        known: Vec<String>,
        /// Required property names.
        required: Vec<String>,
        /// `additionalProperties: false`: no other key may appear.
        closed: bool,
    },
    /// A JSON array.
    Array,
    /// A JSON string.
    String,
    /// A JSON number that is an integer.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value at all.
    Any,
}

/// A reference to a type, at a use site.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A generated named type.
    Named(TypeId),
    /// A built-in or library type.
    Primitive(Primitive),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from string keys to `T` (`additionalProperties`).
    Map(Box<TypeRef>),
    /// `Option<T>` in a position where nullability is not carried by a
    /// field (array items, map values, variants).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// Whether this type mentions the primitive, without following names.
    pub fn uses(&self, primitive: Primitive) -> bool {
        match self {
            TypeRef::Primitive(p) => *p == primitive,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.uses(primitive)
            }
            TypeRef::Named(_) => false,
        }
    }

    /// The type inside every `Vec`, map and `Option` of this one, and how
    /// many of them wrap it (`Vec<Option<Call>>` is `Call`, 2).
    pub fn innermost(&self) -> (&TypeRef, usize) {
        let mut ty = self;
        let mut levels = 0;
        while let TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = ty {
            ty = inner;
            levels += 1;
        }
        (ty, levels)
    }

    /// The named type reached without indirection (through `Nullable` only).
    pub fn direct_named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(inner) => inner.direct_named(),
            _ => None,
        }
    }
}

/// A type that is not generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (`format: int32`).
    I32,
    /// `i64` (`format: int64`, or no format).
    I64,
    /// `f32` (`format: float`).
    F32,
    /// `f64` (`format: double`, or no format).
    F64,
    /// `uuid::Uuid` (`format: uuid`).
    Uuid,
    /// A timezone-aware timestamp (`format: date-time`).
    DateTime,
    /// A calendar date (`format: date`).
    Date,
    /// Raw bytes (`format: binary` outside JSON).
    Bytes,
    /// Any JSON value (an untyped or empty schema).
    Json,
    /// A JSON object with arbitrary keys and values (`type: object` with no
    /// properties).
    JsonObject,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// OPTIONS.
    Options,
    /// HEAD.
    Head,
    /// PATCH.
    Patch,
    /// TRACE.
    Trace,
}

impl Method {
    /// The method name in upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or a name made from method and path when absent.
    pub operation_id: String,
    /// The Rust method name (`snake_case`), unique among operations.
    pub name: Name,
    /// The `UpperCamelCase` stem for types derived from the operation
    /// (`ListCalls` → `ListCallsParams`).
    pub type_stem: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as in the spec (`/calls/{id}`).
    pub path: String,
    /// The path template split into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Tags (wire names), in spec order.
    pub tags: Vec<String>,
    /// Parameters: path-item ones overridden by operation ones, in the
    /// order path, query, header, cookie, each in spec order.
    pub parameters: Vec<Parameter>,
    /// The struct holding every parameter, if there are any.
    pub params_type: Option<TypeId>,
    /// The request body, if any.
    pub request_body: Option<RequestBody>,
    /// Responses, in spec order.
    pub responses: Vec<Response>,
    /// The effective `security` (operation-level, else top-level).
    pub security: Vec<Vec<String>>,
    /// The JSON pointer of the operation.
    pub origin: String,
    /// The `UpperCamelCase` name of the client's request builder for this
    /// operation, unique among the client module's types.
    pub builder_name: Name,
    /// The `UpperCamelCase` name of the client's enum of successful
    /// answers, used when the 2xx responses have different bodies; unique
    /// among the client module's types.
    pub success_name: Name,
    /// Page-number pagination, when the operation has it.
    pub pagination: Option<Pagination>,
    /// The `UpperCamelCase` name of the server's request type for this
    /// operation (`ListCallsRequest`), unique among the server module's
    /// types.
    pub request_name: Name,
    /// The `UpperCamelCase` name of the server's response enum
    /// (`ListCallsResponse`), unique among the server module's types.
    pub response_name: Name,
    /// The index in [`Api::server_traits`] of the trait that declares this
    /// operation's handler.
    pub server_trait: usize,
    /// The `snake_case` name of the router's handler function for this
    /// operation (`handle_list_calls`), unique among the server module's
    /// functions.
    pub handler_name: Name,
    /// An OpenAPI 3.1 webhook: a request the API sends rather than
    /// answers. The client does not call it; the server receives it in a
    /// trait of its own, routed by `webhooks_router` at `path` (`/` and
    /// the webhook's name).
    pub webhook: bool,
}

impl Operation {
    /// Whether the operation asks for credentials: one of its `security`
    /// alternatives names a scheme (an empty alternative makes them
    /// optional, and then they are not looked for).
    pub fn is_secured(&self) -> bool {
        self.security
            .iter()
            .any(|alternative| !alternative.is_empty())
    }

    /// Whether a request carries input to check: parameters or a body.
    pub fn has_input(&self) -> bool {
        !self.parameters.is_empty() || self.request_body.is_some()
    }

    /// The path template split on `/`: one list of pieces per segment, in
    /// order, with empty literal text left out (`/files/{name}.{ext}` is
    /// `[files]`, `[{name}, ".", {ext}]`).
    pub fn path_pieces(&self) -> Vec<Vec<PathSegment>> {
        let mut segments: Vec<Vec<PathSegment>> = vec![Vec::new()];
        for piece in &self.path_segments {
            match piece {
                PathSegment::Literal(text) => {
                    for (index, part) in text.split('/').enumerate() {
                        if index > 0 {
                            segments.push(Vec::new());
                        }
                        if let (false, Some(last)) = (part.is_empty(), segments.last_mut()) {
                            last.push(PathSegment::Literal(part.to_owned()));
                        }
                    }
                }
                PathSegment::Parameter(index) => {
                    if let Some(last) = segments.last_mut() {
                        last.push(PathSegment::Parameter(*index));
                    }
                }
            }
        }
        segments
    }

    /// An operation that documents no 2xx response but a `default` one
    /// answers successes with it (the `default` response is all it says).
    pub fn default_is_success(&self) -> Option<&Response> {
        if self.responses.iter().any(|r| r.status.is_success()) {
            return None;
        }
        self.responses
            .iter()
            .find(|r| r.status == StatusSpec::Default)
    }

    /// What a successful answer of the client holds: nothing, the one body
    /// all 2xx responses share, or one of several (the success enum named
    /// [`Operation::success_name`]).
    pub fn success_body(&self) -> SuccessBody<'_> {
        let successes: Vec<&Response> = match self.default_is_success() {
            Some(default) => vec![default],
            None => self
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .collect(),
        };
        let with_body: Vec<&Response> = successes
            .iter()
            .copied()
            .filter(|r| r.body.is_some())
            .collect();
        match with_body.as_slice() {
            [] => SuccessBody::None,
            [one] if successes.len() == 1 => SuccessBody::One(one),
            [first, rest @ ..] => {
                let same = rest.iter().all(|r| {
                    r.body.as_ref().map(|b| (&b.ty, &b.encoding))
                        == first.body.as_ref().map(|b| (&b.ty, &b.encoding))
                });
                // 2xx responses without a body next to ones with a body
                // would have to be `Option`; keep the raw value instead.
                if same && with_body.len() == successes.len() {
                    SuccessBody::One(first)
                } else {
                    SuccessBody::Mixed
                }
            }
        }
    }

    /// Whether the client calls this operation (every one but webhooks).
    pub fn is_called(&self) -> bool {
        !self.webhook
    }

    /// The tag whose server trait declares this operation: its first tag,
    /// or `default`.
    pub fn trait_tag(&self) -> String {
        self.tags
            .first()
            .cloned()
            .unwrap_or_else(|| "default".to_owned())
    }
}

/// What a successful answer of an operation holds, in the client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SuccessBody<'o> {
    /// No 2xx response has a body: `()`.
    None,
    /// Every 2xx response has this one's body.
    One(&'o Response),
    /// The 2xx responses differ: an enum with one variant each.
    Mixed,
}

/// A documented error status shared by one or more operations, and the
/// client's `ClientError` variant that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    /// The variant name (`NotFound`).
    pub name: String,
    /// The statuses it covers.
    pub status: StatusSpec,
    /// The body type, when every operation documents the same one; else
    /// the raw JSON value or text.
    pub body: ErrorBody,
}

/// What a `ClientError` variant for an error status holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// JSON of this type.
    Typed(TypeRef),
    /// Any JSON (`null` when empty).
    Json,
    /// Text (a non-JSON body, or bodies that differ in kind).
    Text,
}

impl Api {
    /// The client's error variants: one per documented non-success
    /// status (in order of first appearance), typed when all operations
    /// agree on its body.
    pub fn error_variants(&self) -> Vec<ErrorVariant> {
        let mut variants: Vec<ErrorVariant> = Vec::new();
        for op in self.called() {
            for response in op.responses.iter().filter(|r| !r.status.is_success()) {
                let body = match &response.body {
                    Some(b) if b.encoding == BodyEncoding::Json => ErrorBody::Typed(b.ty.clone()),
                    Some(_) => ErrorBody::Text,
                    None => ErrorBody::Json,
                };
                match variants.iter_mut().find(|v| v.status == response.status) {
                    Some(existing) => {
                        if existing.body != body {
                            // Text holds any body; JSON any JSON body.
                            existing.body =
                                if existing.body == ErrorBody::Text || body == ErrorBody::Text {
                                    ErrorBody::Text
                                } else {
                                    ErrorBody::Json
                                };
                        }
                    }
                    None => variants.push(ErrorVariant {
                        name: response.status.reason_name(),
                        status: response.status,
                        body,
                    }),
                }
            }
        }
        variants
    }
}

/// A header parameter that every operation has, with the client builder's
/// setter for its default.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDefault {
    /// The header's name on the wire.
    pub wire: String,
    /// Its index in the first operation's [`Operation::parameters`].
    pub parameter: usize,
    /// The builder's setter (`organization_id`: the parameter's name
    /// without an `x_` prefix), unique among the builder's methods.
    pub setter: Name,
    /// The field of the client holding the default (`default_x_organization_id`).
    pub field: Name,
}

/// A trait of the generated server: the operations whose first tag is
/// `tag` (`default` for untagged ones).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerTrait {
    /// The tag's wire name.
    pub tag: String,
    /// A trait of webhooks ([`Operation::webhook`]), not of operations.
    pub webhooks: bool,
    /// The trait's `UpperCamelCase` name (`CallsApi`).
    pub name: Name,
}

/// A response component that several operations share: the server module
/// has one type for it, convertible into each operation's response enum.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedResponse {
    /// The component's name in the spec (`NotFound`).
    pub component: String,
    /// The Rust type's name, unique in the server module.
    pub name: Name,
    /// The body type, when the response has one.
    pub body: Option<TypeRef>,
}

/// Page-number pagination: a `page` query parameter and a body with the
/// items and the page count (`{"data": [...], "total_pages": 3}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index of the page parameter in [`Operation::parameters`].
    pub page_parameter: usize,
    /// The first page number (the parameter's default, else its minimum,
    /// else 1).
    pub first_page: i64,
    /// The struct type of a page.
    pub page_type: TypeId,
    /// When the success body is a union, the index of the page variant.
    pub variant: Option<usize>,
    /// Index of the items field in the page struct.
    pub items_field: usize,
    /// Index of the page-count field in the page struct.
    pub total_pages_field: usize,
    /// The type of one item.
    pub item: TypeRef,
    /// The name of the client method that streams every item
    /// (`list_calls_stream`).
    pub stream_name: Name,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder: the index of its [`Parameter`] in
    /// [`Operation::parameters`].
    Parameter(usize),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// How an array or object parameter is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    /// `form` (query, cookie).
    Form,
    /// `simple` (path, header).
    Simple,
    /// `label` (path).
    Label,
    /// `matrix` (path).
    Matrix,
    /// `spaceDelimited` (query).
    SpaceDelimited,
    /// `pipeDelimited` (query).
    PipeDelimited,
    /// `deepObject` (query).
    DeepObject,
    /// `content`-encoded: the value is serialized with a media type
    /// (usually JSON).
    Content,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name (query key, header name, path placeholder).
    pub wire: String,
    /// The Rust name, unique among the operation's parameters.
    pub name: Name,
    /// Where it travels.
    pub location: ParameterLocation,
    /// Required (path parameters always are).
    pub required: bool,
    /// Its type (without the `Option` that `required` adds).
    pub ty: TypeRef,
    /// Style.
    pub style: ParameterStyle,
    /// Explode.
    pub explode: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Bounds and default.
    pub constraints: Constraints,
    /// The JSON pointer of the parameter (the `$ref` target when shared).
    pub origin: String,
    /// The name of the component it comes from, when it was a `$ref` to
    /// `#/components/parameters/...`.
    pub component: Option<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` or `*/*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/plain` and other text types.
    Text,
    /// `application/octet-stream` and other binary types.
    Binary,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type chosen (the first supported one, JSON preferred).
    pub media_type: String,
    /// Its encoding.
    pub encoding: BodyEncoding,
    /// The value type.
    pub ty: TypeRef,
    /// `required: true`.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// Which status codes a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusSpec {
    /// One status code.
    Code(u16),
    /// `1XX` .. `5XX`: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl std::fmt::Display for StatusSpec {
    /// The status as the spec writes it: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusSpec::Code(code) => write!(f, "{code}"),
            StatusSpec::Range(digit) => write!(f, "{digit}XX"),
            StatusSpec::Default => f.write_str("default"),
        }
    }
}

impl StatusSpec {
    /// Whether it is a success (`2XX`, or a code in 200..300).
    pub fn is_success(self) -> bool {
        match self {
            StatusSpec::Code(code) => (200..300).contains(&code),
            StatusSpec::Range(digit) => digit == 2,
            StatusSpec::Default => false,
        }
    }

    /// The reason phrase of the status, as an `UpperCamelCase` stem
    /// (`NotFound`, `ClientError` for `4XX`): the name of what answers it.
    pub fn reason_name(self) -> String {
        match self {
            StatusSpec::Default => "Default".to_owned(),
            StatusSpec::Range(digit) => match digit {
                1 => "Informational".to_owned(),
                2 => "Success".to_owned(),
                3 => "Redirection".to_owned(),
                4 => "ClientError".to_owned(),
                5 => "ServerError".to_owned(),
                other => format!("Status{other}xx"),
            },
            StatusSpec::Code(code) => match code {
                100 => "Continue",
                101 => "SwitchingProtocols",
                200 => "Ok",
                201 => "Created",
                202 => "Accepted",
                203 => "NonAuthoritativeInformation",
                204 => "NoContent",
                205 => "ResetContent",
                206 => "PartialContent",
                207 => "MultiStatus",
                300 => "MultipleChoices",
                301 => "MovedPermanently",
                302 => "Found",
                303 => "SeeOther",
                304 => "NotModified",
                307 => "TemporaryRedirect",
                308 => "PermanentRedirect",
                400 => "BadRequest",
                401 => "Unauthorized",
                402 => "PaymentRequired",
                403 => "Forbidden",
                404 => "NotFound",
                405 => "MethodNotAllowed",
                406 => "NotAcceptable",
                408 => "RequestTimeout",
                409 => "Conflict",
                410 => "Gone",
                411 => "LengthRequired",
                412 => "PreconditionFailed",
                413 => "PayloadTooLarge",
                414 => "UriTooLong",
                415 => "UnsupportedMediaType",
                416 => "RangeNotSatisfiable",
                417 => "ExpectationFailed",
                418 => "ImATeapot",
                422 => "UnprocessableEntity",
                423 => "Locked",
                424 => "FailedDependency",
                425 => "TooEarly",
                426 => "UpgradeRequired",
                428 => "PreconditionRequired",
                429 => "TooManyRequests",
                431 => "RequestHeaderFieldsTooLarge",
                451 => "UnavailableForLegalReasons",
                500 => "InternalServerError",
                501 => "NotImplemented",
                502 => "BadGateway",
                503 => "ServiceUnavailable",
                504 => "GatewayTimeout",
                505 => "HttpVersionNotSupported",
                507 => "InsufficientStorage",
                511 => "NetworkAuthenticationRequired",
                other => return format!("Status{other}"),
            }
            .to_owned(),
        }
    }

    /// The machine-readable error code for the status (`not_found`), as
    /// generated servers write it in the `Error` schema's `code`.
    pub fn machine_code(self) -> String {
        heck::ToSnakeCase::to_snake_case(self.reason_name().as_str())
    }
}

/// A response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status (or range) it answers.
    pub status: StatusSpec,
    /// An `UpperCamelCase` name for it, unique in the operation (`Ok`,
    /// `NotFound`, `Default`).
    pub name: Name,
    /// `description`.
    pub description: String,
    /// The body, if the response has one.
    pub body: Option<ResponseBody>,
    /// Declared response headers.
    pub headers: Vec<ResponseHeader>,
    /// The struct holding the declared headers (every field optional), if
    /// there are any.
    pub headers_type: Option<TypeId>,
    /// The component name when it was a `$ref` to
    /// `#/components/responses/...` (shared by several operations).
    pub component: Option<String>,
}

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The media type.
    pub media_type: String,
    /// Its encoding.
    pub encoding: BodyEncoding,
    /// The value type.
    pub ty: TypeRef,
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: Name,
    /// Its type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
}
