//! Operations: parameters, request bodies, responses.

use openapiv3::{ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};

use super::schema::{constraints_of, schema_doc};
use super::{security_alternatives, Lowering};
use crate::error::{Diagnostic, Pointer};
use crate::model::{
    BodyEncoding, Constraints, Field, Method, Operation, Parameter, ParameterLocation,
    ParameterStyle, PathSegment, Primitive, RequestBody, Response, ResponseBody, ResponseHeader,
    StatusSpec, Struct, TypeKind, TypeRef,
};

/// The operations of a path item, in a fixed method order.
pub(super) fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

pub(super) fn method_key(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Put => "put",
        Method::Post => "post",
        Method::Delete => "delete",
        Method::Options => "options",
        Method::Head => "head",
        Method::Patch => "patch",
        Method::Trace => "trace",
    }
}

/// A parameter resolved from a `$ref` or inline, with its location.
struct ResolvedParameter {
    at: Pointer,
    component: Option<String>,
    parameter: openapiv3::Parameter,
}

/// Sorts media types by how well this generator serves them: JSON first.
pub(super) fn encoding_of(media_type: &str) -> Option<(u8, BodyEncoding)> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/json" => (0, BodyEncoding::Json),
        e if e.ends_with("+json") || e == "*/*" || e == "application/*" => (1, BodyEncoding::Json),
        "application/x-www-form-urlencoded" => (2, BodyEncoding::Form),
        "multipart/form-data" => (3, BodyEncoding::Multipart),
        e if e.starts_with("text/") => (4, BodyEncoding::Text),
        _ => (5, BodyEncoding::Binary),
    })
}

impl Lowering<'_> {
    pub(super) fn lower_operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        item: &PathItem,
        item_at: &Pointer,
        top_security: &[Vec<String>],
    ) -> Option<Operation> {
        let at = item_at.push(method_key(method));
        let operation_id = op
            .operation_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("{} {}", method_key(method), path));
        let stem = crate::ident::sanitize(&operation_id, crate::ident::Case::Type);
        let errors_before = self.diagnostics.len();

        // Path-item parameters apply unless the operation redefines the
        // same name and location.
        let mut resolved: Vec<ResolvedParameter> = Vec::new();
        for (index, parameter) in item.parameters.iter().enumerate() {
            if let Some(p) =
                self.resolve_parameter(parameter, &item_at.push("parameters").push(index))
            {
                resolved.push(p);
            }
        }
        for (index, parameter) in op.parameters.iter().enumerate() {
            let Some(p) = self.resolve_parameter(parameter, &at.push("parameters").push(index))
            else {
                continue;
            };
            let key = location_and_name(&p.parameter);
            if let Some(existing) = resolved
                .iter_mut()
                .find(|r| location_and_name(&r.parameter) == key)
            {
                *existing = p;
            } else {
                resolved.push(p);
            }
        }
        let mut parameters: Vec<Parameter> = resolved
            .iter()
            .map(|p| self.lower_parameter(p, &stem))
            .collect();
        // Stable: path, query, header, cookie, each in spec order.
        parameters.sort_by_key(|p| p.location);

        let path_segments = self.path_segments(path, &parameters, &at);
        let params_type = (!parameters.is_empty()).then(|| {
            let fields = parameters
                .iter()
                .map(|p| Field {
                    deprecated: p.deprecated,
                    constraints: p.constraints.clone(),
                    ..Field::plain(p.wire.clone(), p.ty.clone(), p.required, p.doc.clone())
                })
                .collect();
            let doc = format!(
                "The parameters of `{operation_id}` (`{} {path}`).",
                method.as_str()
            );
            self.plain_struct(format!("{stem} params"), at.push("parameters"), doc, fields)
        });

        let request_body = op
            .request_body
            .as_ref()
            .and_then(|body| self.lower_request_body(body, &at.push("requestBody"), &stem));

        let mut responses = Vec::new();
        for (status, response) in &op.responses.responses {
            let spec = match status {
                StatusCode::Code(code) => StatusSpec::Code(*code),
                StatusCode::Range(digit) => StatusSpec::Range(*digit),
            };
            let response_at = at.push("responses").push(status);
            if let Some(r) = self.lower_response(spec, response, &response_at, &stem) {
                responses.push(r);
            }
        }
        if let Some(default) = &op.responses.default {
            let response_at = at.push("responses").push("default");
            if let Some(r) = self.lower_response(StatusSpec::Default, default, &response_at, &stem)
            {
                responses.push(r);
            }
        }

        if self.diagnostics.len() > errors_before {
            return None;
        }
        Some(Operation {
            operation_id,
            name: crate::model::Name::default(),
            type_stem: stem,
            method,
            path: path.to_owned(),
            path_segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            parameters,
            params_type,
            request_body,
            responses,
            security: op
                .security
                .as_ref()
                .map(|s| security_alternatives(s))
                .unwrap_or_else(|| top_security.to_vec()),
            origin: at.to_string(),
            builder_name: crate::model::Name::default(),
            success_name: crate::model::Name::default(),
            request_name: crate::model::Name::default(),
            handler_name: crate::model::Name::default(),
            response_name: crate::model::Name::default(),
            server_trait: 0,
            webhook: false,
            pagination: None,
        })
    }

    /// A struct of plain values (no serde): an operation's parameters or
    /// a response's headers.
    fn plain_struct(
        &mut self,
        hint: String,
        origin: Pointer,
        doc: String,
        fields: Vec<Field>,
    ) -> crate::model::TypeId {
        let id = self.new_draft(hint, false, origin);
        let draft = &mut self.drafts[id.0];
        draft.doc = Some(doc);
        draft.kind = Some(TypeKind::Struct(Struct {
            fields,
            additional: None,
            additional_name: crate::model::Name::default(),
            closed: true,
            parameters: true,
        }));
        id
    }

    fn resolve_parameter(
        &mut self,
        parameter: &ReferenceOr<openapiv3::Parameter>,
        at: &Pointer,
    ) -> Option<ResolvedParameter> {
        match parameter {
            ReferenceOr::Item(p) => Some(ResolvedParameter {
                at: at.clone(),
                component: None,
                parameter: p.clone(),
            }),
            ReferenceOr::Reference { reference } => {
                match self.resolve_typed::<openapiv3::Parameter>(reference, &at.push("$ref")) {
                    Ok((target, parameter)) => {
                        let tokens = target.tokens();
                        let component = (tokens.len() == 3
                            && tokens[0] == "components"
                            && tokens[1] == "parameters")
                            .then(|| tokens[2].clone());
                        Some(ResolvedParameter {
                            at: target,
                            component,
                            parameter,
                        })
                    }
                    Err(d) => {
                        self.diagnostics.push(d);
                        None
                    }
                }
            }
        }
    }

    fn lower_parameter(&mut self, resolved: &ResolvedParameter, stem: &str) -> Parameter {
        use openapiv3::Parameter as P;
        let data = resolved.parameter.parameter_data_ref();
        let (location, style) = match &resolved.parameter {
            P::Query { style, .. } => (
                ParameterLocation::Query,
                match style {
                    openapiv3::QueryStyle::Form => ParameterStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
                },
            ),
            P::Header { .. } => (ParameterLocation::Header, ParameterStyle::Simple),
            P::Path { style, .. } => (
                ParameterLocation::Path,
                match style {
                    openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                    openapiv3::PathStyle::Label => ParameterStyle::Label,
                    openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
                },
            ),
            P::Cookie { .. } => (ParameterLocation::Cookie, ParameterStyle::Form),
        };
        let hint = format!("{stem} {}", data.name);
        let (schema_at, style) = match &data.format {
            ParameterSchemaOrContent::Schema(_) => (Some(resolved.at.push("schema")), style),
            ParameterSchemaOrContent::Content(content) => (
                content
                    .iter()
                    .next()
                    .filter(|(_, media)| media.schema.is_some())
                    .map(|(media_type, _)| {
                        resolved.at.push("content").push(media_type).push("schema")
                    }),
                ParameterStyle::Content,
            ),
        };
        let (ty, constraints, schema_doc_text) = match &schema_at {
            Some(schema_at) => {
                let ty = self.type_of(schema_at, &hint);
                let schema = self.resolve_schema(schema_at).ok().map(|(_, m)| m);
                (
                    ty,
                    schema.map(constraints_of).unwrap_or_default(),
                    schema.and_then(schema_doc),
                )
            }
            None => (
                TypeRef::Primitive(Primitive::String),
                Constraints::default(),
                None,
            ),
        };
        Parameter {
            wire: data.name.clone(),
            name: crate::model::Name::default(),
            location,
            required: data.required || location == ParameterLocation::Path,
            ty,
            explode: data.explode.unwrap_or(style == ParameterStyle::Form),
            style,
            doc: data.description.clone().or(schema_doc_text),
            deprecated: data.deprecated.unwrap_or(false),
            constraints,
            origin: resolved.at.to_string(),
            component: resolved.component.clone(),
        }
    }

    /// Splits `/calls/{id}` into literal text and parameters, checking that
    /// every placeholder is a declared path parameter and every path
    /// parameter has a placeholder.
    fn path_segments(
        &mut self,
        path: &str,
        parameters: &[Parameter],
        at: &Pointer,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut rest = path;
        let mut used = Vec::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.diagnostics.push(Diagnostic::at(
                    at.to_string(),
                    format!("path template `{path}` has an unclosed `{{`"),
                ));
                return segments;
            };
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            // RFC 6570 operators (`{.x}`, `{;x}`, `{x*}`) are not OpenAPI,
            // but some specs write the style into the template that way:
            // the name is what is left.
            let name = rest[open + 1..close]
                .trim_start_matches(['.', ';', '?', '&', '/', '+', '#'])
                .trim_end_matches('*');
            match parameters
                .iter()
                .position(|p| p.location == ParameterLocation::Path && p.wire == name)
            {
                Some(index) => {
                    segments.push(PathSegment::Parameter(index));
                    used.push(index);
                }
                None => self.diagnostics.push(
                    Diagnostic::at(
                        at.to_string(),
                        format!("path template `{path}` uses `{{{name}}}`, but no path parameter `{name}` is declared"),
                    )
                    .with_hint("declare it under `parameters` with `in: path` and `required: true`, for example with an overlay"),
                ),
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.location == ParameterLocation::Path && !used.contains(&index) {
                self.diagnostics.push(Diagnostic::at(
                    parameter.origin.clone(),
                    format!(
                        "path parameter `{}` does not appear in the path template `{path}`",
                        parameter.wire
                    ),
                ));
            }
        }
        segments
    }

    fn lower_request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        at: &Pointer,
        stem: &str,
    ) -> Option<RequestBody> {
        let (at, body) = match body {
            ReferenceOr::Item(b) => (at.clone(), b.clone()),
            ReferenceOr::Reference { reference } => {
                match self.resolve_typed::<openapiv3::RequestBody>(reference, &at.push("$ref")) {
                    Ok(resolved) => resolved,
                    Err(d) => {
                        self.diagnostics.push(d);
                        return None;
                    }
                }
            }
        };
        let (media_type, encoding) = pick_media_type(body.content.keys())?;
        let has_schema = body
            .content
            .get(&media_type)
            .is_some_and(|m| m.schema.is_some());
        let ty = self.body_type(
            &at,
            &media_type,
            &encoding,
            has_schema,
            &format!("{stem} body"),
        );
        Some(RequestBody {
            media_type,
            encoding,
            ty,
            required: body.required,
            doc: body.description.clone(),
        })
    }

    fn body_type(
        &mut self,
        at: &Pointer,
        media_type: &str,
        encoding: &BodyEncoding,
        has_schema: bool,
        hint: &str,
    ) -> TypeRef {
        match encoding {
            BodyEncoding::Binary => TypeRef::Primitive(Primitive::Bytes),
            BodyEncoding::Text => TypeRef::Primitive(Primitive::String),
            _ if has_schema => {
                self.type_of(&at.push("content").push(media_type).push("schema"), hint)
            }
            _ => TypeRef::Primitive(Primitive::Json),
        }
    }

    fn lower_response(
        &mut self,
        status: StatusSpec,
        response: &ReferenceOr<openapiv3::Response>,
        at: &Pointer,
        stem: &str,
    ) -> Option<Response> {
        let (at, component, response) = match response {
            ReferenceOr::Item(r) => (at.clone(), None, r.clone()),
            ReferenceOr::Reference { reference } => {
                match self.resolve_typed::<openapiv3::Response>(reference, &at.push("$ref")) {
                    Ok((target, r)) => {
                        let tokens = target.tokens();
                        let component = (tokens.len() == 3
                            && tokens[0] == "components"
                            && tokens[1] == "responses")
                            .then(|| tokens[2].clone());
                        (target, component, r)
                    }
                    Err(d) => {
                        self.diagnostics.push(d);
                        return None;
                    }
                }
            }
        };
        let name = status.reason_name();
        let body = pick_media_type(response.content.keys()).map(|(media_type, encoding)| {
            // A form or multipart answer is rare enough to keep as its text.
            let encoding = match encoding {
                BodyEncoding::Form | BodyEncoding::Multipart => BodyEncoding::Text,
                other => other,
            };
            let has_schema = response
                .content
                .get(&media_type)
                .is_some_and(|m| m.schema.is_some());
            // A shared response's inline body is named after the component.
            let hint = match &component {
                Some(component) => format!("{component} body"),
                None => format!("{stem} {name}"),
            };
            let ty = self.body_type(&at, &media_type, &encoding, has_schema, &hint);
            ResponseBody {
                media_type,
                encoding,
                ty,
            }
        });
        let mut headers = Vec::new();
        for (header_name, header) in &response.headers {
            let header_at = at.push("headers").push(header_name);
            let (header_at, header) = match header {
                ReferenceOr::Item(h) => (header_at, h.clone()),
                ReferenceOr::Reference { reference } => {
                    match self
                        .resolve_typed::<openapiv3::Header>(reference, &header_at.push("$ref"))
                    {
                        Ok(resolved) => resolved,
                        Err(d) => {
                            self.diagnostics.push(d);
                            continue;
                        }
                    }
                }
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(_) => self.type_of(
                    &header_at.push("schema"),
                    &format!("{stem} {name} {header_name}"),
                ),
                ParameterSchemaOrContent::Content(_) => TypeRef::Primitive(Primitive::String),
            };
            headers.push(ResponseHeader {
                wire: header_name.clone(),
                name: crate::model::Name::default(),
                ty,
                required: header.required,
                doc: header.description.clone(),
            });
        }
        // The declared headers as a struct of their own, one per response
        // node (a shared response has one for all its operations).
        let headers_type = (!headers.is_empty()).then(|| {
            let key = at.push("headers");
            if let Some(id) = self.named.get(&key) {
                return *id;
            }
            let fields = headers
                .iter()
                .map(|h| {
                    let mut doc = h.doc.clone().unwrap_or_else(|| format!("The `{}` header.", h.wire));
                    if h.required {
                        doc.push_str("\n\n(Required by the spec; `None` when a peer leaves it out or sends a value that does not parse.)");
                    }
                    Field::plain(h.wire.clone(), h.ty.clone(), false, Some(doc))
                })
                .collect();
            let hint = match &component {
                Some(component) => format!("{component} headers"),
                None => format!("{stem} {name} headers"),
            };
            let doc = format!(
                "The headers the spec declares for this response: {}.",
                response.description.trim()
            );
            let id = self.plain_struct(hint, key.clone(), doc, fields);
            self.named.insert(key, id);
            id
        });
        Some(Response {
            status,
            name: crate::model::Name::from_source(&name),
            description: response.description.clone(),
            body,
            headers,
            headers_type,
            component,
        })
    }
}

fn location_and_name(p: &openapiv3::Parameter) -> (u8, String) {
    use openapiv3::Parameter as P;
    let location = match p {
        P::Path { .. } => 0,
        P::Query { .. } => 1,
        P::Header { .. } => 2,
        P::Cookie { .. } => 3,
    };
    let name = p.parameter_data_ref().name.clone();
    // Header names are case-insensitive.
    let name = if location == 2 {
        name.to_ascii_lowercase()
    } else {
        name
    };
    (location, name)
}

/// The media type to generate for: the best supported, spec order breaking
/// ties.
fn pick_media_type<'m>(
    media_types: impl Iterator<Item = &'m String>,
) -> Option<(String, BodyEncoding)> {
    media_types
        .filter_map(|m| encoding_of(m).map(|(rank, encoding)| (rank, m, encoding)))
        .enumerate()
        .min_by_key(|(index, (rank, _, _))| (*rank, *index))
        .map(|(_, (_, m, encoding))| (m.clone(), encoding))
}
