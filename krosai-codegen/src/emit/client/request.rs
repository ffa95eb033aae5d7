//! One request builder per operation: setters, the body, `send`, pagination.

use super::*;
use crate::emit::prelude::{DEFAULT, ERR, FORMAT, NONE, OK, OPTION, RESULT, SOME, STRING, VEC};

/// The Rust method on `Client` that starts a request.
pub(super) fn emit_method(api: &Api, op: &Operation) -> TokenStream {
    let method = to_ident(&op.name);
    let builder = to_ident(&op.builder_name);
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, Scope::Sibling);
        quote!(#name: #ty)
    });
    let body_arg = op.request_body.as_ref().filter(|b| b.required).map(|b| {
        let ty = request_body_type(api, b);
        quote!(body: #ty,)
    });
    let body_init = match &op.request_body {
        Some(b) if b.required => quote!(body: #SOME(body),),
        Some(_) => quote!(body: #NONE,),
        None => quote!(),
    };
    let params_init = op.params_type.map(|id| {
        let ty = to_ident(&api.ty(id).name);
        // A parameter struct without required parameters derives `Default`.
        if required.is_empty() {
            return quote!(params: #DEFAULT::default(),);
        }
        let fields = op.parameters.iter().map(|p| {
            let name = to_ident(&p.name);
            if p.required {
                quote!(#name,)
            } else {
                quote!(#name: #NONE,)
            }
        });
        quote!(params: super::types::#ty { #(#fields)* },)
    });
    let doc = operation_doc(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let pagination = op.pagination.as_ref().filter(|_| !has_raw_form(api, op));
    let stream = pagination.zip(op.params_type).map(|(p, params)| {
        let stream = to_ident(&p.stream_name);
        let params = to_ident(&api.ty(params).name);
        let item = rust_type(api, &p.item, Scope::Sibling);
        let text = format!(
            "Every item of every page of `{}`, fetched lazily one page at a time from the first page, stopping after the last one (`total_pages`). `params.page` is ignored; an error ends the stream.",
            op.operation_id
        );
        let doc = doc_attrs(&text);
        quote! {
            #doc
            pub fn #stream(&self, params: super::types::#params) -> impl ::futures_util::Stream<Item = #RESULT<#item, ClientError>> + '_ {
                #builder { client: self, params, #body_init options: #DEFAULT::default() }.into_stream()
            }
        }
    });
    let stream = if required.is_empty() && op.request_body.as_ref().is_none_or(|b| !b.required) {
        stream
    } else {
        None
    };
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args,)* #body_arg) -> #builder<'_> {
            #builder {
                client: self,
                #params_init
                #body_init
                options: #DEFAULT::default(),
            }
        }

        #stream
    }
}

pub(super) fn operation_doc(op: &Operation) -> TokenStream {
    doc_attrs(&crate::emit::doc::operation_text(op))
}

/// Whether an operation's body is a caller-built `reqwest::multipart::Form`
/// (a multipart schema that is not a plain object). A form cannot be
/// cloned, so neither can such a request builder, and it has no
/// pagination stream (which clones the request for every page).
pub(super) fn has_raw_form(api: &Api, op: &Operation) -> bool {
    op.request_body.as_ref().is_some_and(|b| {
        b.encoding == BodyEncoding::Multipart && crate::emit::multipart_struct(api, &b.ty).is_none()
    })
}

pub(super) fn request_body_type(api: &Api, body: &crate::model::RequestBody) -> TokenStream {
    match body.encoding {
        // A multipart body whose schema is not a plain object: the caller
        // builds the form (the documented raw form).
        BodyEncoding::Multipart if crate::emit::multipart_struct(api, &body.ty).is_none() => {
            quote!(::reqwest::multipart::Form)
        }
        _ => rust_type(api, &body.ty, Scope::Sibling),
    }
}

/// Statements turning `body` (an owned struct) into `form`, a
/// `reqwest::multipart::Form` with one part per set field: binary fields as
/// file parts, scalars as text, anything else as a JSON part.
pub(super) fn multipart_form(api: &Api, s: &crate::model::Struct) -> TokenStream {
    let parts = s.fields.iter().map(|f| {
        let field = to_ident(&f.name);
        let wire = &f.wire;
        let append_one = |ty: &TypeRef, value: TokenStream| -> TokenStream {
            match api.primitive_of(ty) {
                Some(Primitive::Bytes) => quote! {
                    form = form.part(#wire, ::reqwest::multipart::Part::bytes(#value).file_name(#wire));
                },
                Some(Primitive::String) => quote!(form = form.text(#wire, #value);),
                Some(Primitive::Json | Primitive::JsonObject) | None if !crate::emit::is_enum(api, ty) => quote! {
                    let part = ::reqwest::multipart::Part::text(runtime::json_text(&#value))
                        .mime_str("application/json")
                        .map_err(|e| ClientError::Config(#FORMAT!("cannot encode the request body: {e}")))?;
                    form = form.part(#wire, part);
                },
                _ => {
                    let text = scalar_to_string(api, ty, quote!(v));
                    quote!(form = form.text(#wire, { let v = &#value; #text });)
                }
            }
        };
        let append = match &f.ty {
            TypeRef::Array(inner) => {
                let one = append_one(inner, quote!(item));
                quote! {
                    for item in value {
                        #one
                    }
                }
            }
            // Only structs and unions are ever boxed, and they go as JSON.
            ty => append_one(ty, quote!(value)),
        };
        if f.is_optional() {
            quote! {
                if let #SOME(value) = body.#field {
                    #append
                }
            }
        } else {
            quote! {
                {
                    let value = body.#field;
                    #append
                }
            }
        }
    });
    let extra = s.additional.as_ref().map(|_| {
        let field = to_ident(&s.additional_name);
        quote! {
            for (key, value) in body.#field {
                form = form.text(key, runtime::json_text(&value));
            }
        }
    });
    quote! {
        let mut form = ::reqwest::multipart::Form::new();
        #(#parts)*
        #extra
    }
}

/// The request builder of one operation and the code that sends it.
pub(super) fn emit_operation(
    api: &Api,
    op: &Operation,
    shared: &[&Parameter],
    errors: &[ErrorVariant],
) -> TokenStream {
    let builder = to_ident(&op.builder_name);
    let success = success_type(api, op);
    let params_field = op.params_type.map(|id| {
        let ty = to_ident(&api.ty(id).name);
        quote!(params: super::types::#ty,)
    });
    let body_field = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        quote!(body: #OPTION<#ty>,)
    });
    let setters = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let name = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, Scope::Sibling);
        let mut text = p.doc.clone().map(|doc| doc + "\n\n").unwrap_or_default();
        text.push_str(&format!(
            "({} parameter `{}`{})",
            location_name(p.location),
            p.wire,
            bounds_text(&p.constraints)
        ));
        let doc = doc_attrs(&text);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #doc
            #deprecated
            pub fn #name(mut self, value: #ty) -> Self {
                self.params.#name = #SOME(value);
                self
            }
        }
    });
    let body_setter = op.request_body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = request_body_type(api, b);
        quote! {
            /// The request body (optional for this operation).
            pub fn body(mut self, body: #ty) -> Self {
                self.body = #SOME(body);
                self
            }
        }
    });
    let validations: Vec<TokenStream> = op
        .parameters
        .iter()
        .map(|p| validation(api, p))
        .filter(|v| !v.is_empty())
        .collect();
    let validate = (!validations.is_empty()).then(|| {
        quote! {
            let mut violations: #VEC<Violation> = #VEC::new();
            #(#validations)*
            if !violations.is_empty() {
                return #ERR(ClientError::InvalidRequest(violations));
            }
        }
    });
    let method = match op.method {
        crate::model::Method::Get => quote!(GET),
        crate::model::Method::Put => quote!(PUT),
        crate::model::Method::Post => quote!(POST),
        crate::model::Method::Delete => quote!(DELETE),
        crate::model::Method::Options => quote!(OPTIONS),
        crate::model::Method::Head => quote!(HEAD),
        crate::model::Method::Patch => quote!(PATCH),
        crate::model::Method::Trace => quote!(TRACE),
    };
    // Sending twice is harmless for the idempotent methods, and for a
    // POST or PATCH that carries an idempotency key the spec declares.
    let key = op.parameters.iter().find(|p| {
        p.location == ParameterLocation::Header && p.wire.eq_ignore_ascii_case("idempotency-key")
    });
    let idempotent = match (op.method, key) {
        (crate::model::Method::Post | crate::model::Method::Patch, Some(p)) if !p.required => {
            let name = to_ident(&p.name);
            quote!(params.#name)
        }
        (crate::model::Method::Post | crate::model::Method::Patch, None) => quote!(false),
        _ => quote!(true),
    };
    let (operation_id, method_text, path) = (&op.operation_id, op.method.as_str(), &op.path);
    let segments = path_segments(api, op);
    let authorize_url_call = api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, SecurityKind::ApiKeyQuery(_)))
        .then(|| quote!(client.authorize_url(&mut url);));
    let query = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|p| query_parameter(api, p));
    let headers = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Header)
        .map(|p| header_parameter(api, p, shared));
    let cookies: Vec<&Parameter> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Cookie)
        .collect();
    let has = |location| op.parameters.iter().any(|p| p.location == location);
    let url_mut =
        (has(ParameterLocation::Query) || authorize_url_call.is_some()).then(|| quote!(mut));
    let request_mut =
        (has(ParameterLocation::Header) || !cookies.is_empty() || op.request_body.is_some())
            .then(|| quote!(mut));
    let cookie = (!cookies.is_empty()).then(|| {
        let parts = cookies.iter().map(|p| {
            let name = to_ident(&p.name);
            let wire = &p.wire;
            let value = styled_text(api, p, quote!(value));
            if p.required {
                quote!(cookies.push(#FORMAT!("{}={}", #wire, { let value = &params.#name; #value }));)
            } else {
                quote! {
                    if let #SOME(value) = &params.#name {
                        cookies.push(#FORMAT!("{}={}", #wire, #value));
                    }
                }
            }
        });
        quote! {
            let mut cookies: #VEC<#STRING> = #VEC::new();
            #(#parts)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    });
    let body = op.request_body.as_ref().map(|b| {
        let media = &b.media_type;
        match b.encoding {
            BodyEncoding::Text | BodyEncoding::Binary => quote! {
                request = runtime::raw_body(request, #media, body);
            },
            BodyEncoding::Form => quote! {
                request = runtime::form_body(request, body.as_ref()).map_err(ClientError::Config)?;
            },
            BodyEncoding::Multipart => match crate::emit::multipart_struct(api, &b.ty) {
                Some(s) => {
                    let build = multipart_form(api, s);
                    quote! {
                        if let #SOME(body) = body {
                            #build
                            request = request.multipart(form);
                        }
                    }
                }
                None => quote! {
                    if let #SOME(form) = body {
                        request = request.multipart(form);
                    }
                },
            },
            BodyEncoding::Json => {
                // A wildcard says nothing about the body: send JSON as such.
                let media = if media.contains('*') { "application/json" } else { media.as_str() };
                quote! {
                    request = runtime::json_body(request, #media, body.as_ref()).map_err(ClientError::Config)?;
                }
            }
        }
    });
    let status_arms = op
        .responses
        .iter()
        .filter_map(|r| response_arm(api, op, r, errors));
    // With only a `default` response, a 2xx answer is a success in its shape.
    let default_success = op.default_is_success().map(|r| {
        if r.body.is_none() {
            return quote! {
                200..=299 => #OK(Response::new(status, headers, ())),
            };
        }
        let decode = decode_body(api, r);
        quote! {
            200..=299 => {
                let body = #decode?;
                #OK(Response::new(status, headers, body))
            }
        }
    });
    // Only successful answers keep the headers.
    let unused_headers = (default_success.is_none()
        && !op.responses.iter().any(|r| r.status.is_success()))
    .then(|| quote!(let _ = &headers;));
    let has_default = op.responses.iter().any(|r| r.status == StatusSpec::Default);
    let fallback = if has_default {
        quote!()
    } else {
        quote! {
            _ => #ERR(ClientError::unexpected(status, &bytes)),
        }
    };
    let params_binding = if op.params_type.is_some() {
        quote!(let params = self.params;)
    } else {
        quote!()
    };
    let body_binding = if op.request_body.is_some() {
        quote!(let body = self.body;)
    } else {
        quote!()
    };
    let into_stream = op.pagination.as_ref().filter(|_| !has_raw_form(api, op)).map(|p| {
        let item = rust_type(api, &p.item, Scope::Sibling);
        let page = to_ident(&op.parameters[p.page_parameter].name);
        let first = Literal::i64_unsuffixed(p.first_page);
        let page_struct = match &api.ty(p.page_type).kind {
            TypeKind::Struct(s) => s,
            _ => unreachable_struct(),
        };
        let items_field = &page_struct.fields[p.items_field];
        let total_field = &page_struct.fields[p.total_pages_field];
        let items_ident = to_ident(&items_field.name);
        let total_ident = to_ident(&total_field.name);
        let take_page = match p.variant {
            None => quote!(let page_body = body;),
            Some(index) => {
                let TypeKind::OneOf(o) = &api.ty(match resolve_body(api, op) { Some(id) => id, None => p.page_type }).kind else {
                    return quote!();
                };
                let union = rust_type(api, &success_type_ref(op), Scope::Sibling);
                let variant = to_ident(&o.variants[index].name);
                let expected = format!("a page of {}", api.ty(p.page_type).name);
                let value = if o.variants[index].boxed { quote!(*page) } else { quote!(page) };
                quote! {
                    let page_body = match body {
                        #union::#variant(page) => #value,
                        _ => return #ERR(ClientError::UnexpectedBody { status, expected: #expected }),
                    };
                }
            }
        };
        let items = if items_field.is_optional() {
            quote!(page_body.#items_ident.unwrap_or_default())
        } else {
            quote!(page_body.#items_ident)
        };
        let total = if total_field.is_optional() {
            quote!(page_body.#total_ident)
        } else {
            quote!(#SOME(page_body.#total_ident))
        };
        let page_ty = rust_type(api, &op.parameters[p.page_parameter].ty, Scope::Sibling);
        quote! {
            /// Every item of every page, fetched lazily one page at a time
            /// from the first page (whatever `page` was set to), stopping
            /// after the last one (`total_pages`). An error ends the stream.
            pub fn into_stream(self) -> impl ::futures_util::Stream<Item = #RESULT<#item, ClientError>> + 'a {
                use ::futures_util::{StreamExt as _, TryStreamExt as _};
                let start: #OPTION<#page_ty> = #SOME(#first);
                ::futures_util::stream::try_unfold((self, start), |(request, next)| async move {
                    let #SOME(page_number) = next else {
                        return #OK(#NONE);
                    };
                    let mut this_page = request.clone();
                    this_page.params.#page = #SOME(page_number);
                    let response = this_page.send().await?;
                    let status = response.status();
                    let body = response.into_inner();
                    #take_page
                    let total_pages: #OPTION<#page_ty> = #total;
                    let items: #VEC<#item> = #items;
                    let more = !items.is_empty() && total_pages.is_none_or(|total| page_number < total);
                    let next = if more { page_number.checked_add(1) } else { #NONE };
                    #OK(#SOME((items, (request, next))))
                })
                .map_ok(|items| ::futures_util::stream::iter(items.into_iter().map(#OK)))
                .try_flatten()
                .boxed()
            }
        }
    });
    let doc = doc_attrs(&format!(
        "A `{}` request (`{} {}`): set optional parameters, then `.await` it (or call [`{}::send`]).\n\n{}",
        op.operation_id,
        op.method.as_str(),
        op.path,
        op.builder_name.as_str(),
        responses_text(api, op)
    ));
    let success_enum = success_enum(api, op);
    let derives = if has_raw_form(api, op) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    quote! {
        #success_enum

        ::krosai_runtime::request! {
            #doc
            #derives
            #[operation(#operation_id, #method_text, #path)]
            #[idempotent(#idempotent)]
            #[answer(#success)]
            pub struct #builder {
                #params_field
                #body_field
            }
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter

            /// Checks the parameters and builds the request (sending is
            /// the same for every operation: [`Client::call`]).
            fn request(self) -> #RESULT<::reqwest::RequestBuilder, ClientError> {
                let client = self.client;
                #params_binding
                #body_binding
                #validate
                let #url_mut url = client.url(&[#(#segments),*]);
                #(#query)*
                #authorize_url_call
                let #request_mut request = client.http.request(::reqwest::Method::#method, url);
                #(#headers)*
                #cookie
                #body
                #OK(request)
            }

            /// Decodes the answer.
            fn answer(
                status: ::reqwest::StatusCode,
                headers: ::reqwest::header::HeaderMap,
                bytes: #VEC<u8>,
            ) -> #RESULT<Response<#success>, ClientError> {
                #unused_headers
                match status.as_u16() {
                    #default_success
                    #(#status_arms)*
                    #fallback
                }
            }

            #into_stream
        }
    }
}

pub(super) fn unreachable_struct() -> &'static crate::model::Struct {
    static EMPTY: std::sync::OnceLock<crate::model::Struct> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| crate::model::Struct {
        fields: Vec::new(),
        additional: None,
        additional_name: crate::model::Name::default(),
        closed: false,
        parameters: false,
    })
}
