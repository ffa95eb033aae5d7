//! Credentials and the headers the client sets by default.

use super::*;

/// The schemes the client can send credentials for.
pub(super) fn auth_schemes(api: &Api) -> Vec<(crate::model::Name, &crate::model::SecurityScheme)> {
    api.security_schemes
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SecurityKind::Bearer
                    | SecurityKind::Basic
                    | SecurityKind::ApiKeyHeader(_)
                    | SecurityKind::ApiKeyQuery(_)
                    | SecurityKind::ApiKeyCookie(_)
                    | SecurityKind::Other(_)
            )
        })
        .map(|s| (s.name.clone(), s))
        .collect()
}

/// Header parameters every operation has: the builder sets a default for
/// them once (`x-organization-id` → `.organization_id(...)`).
pub(super) fn shared_headers(api: &Api) -> Vec<&Parameter> {
    api.client_defaults
        .iter()
        .filter_map(|d| api.called().next()?.parameters.get(d.parameter))
        .collect()
}

/// The model's names for a shared header's default.
pub(super) fn client_default<'a>(
    api: &'a Api,
    parameter: &Parameter,
) -> Option<&'a crate::model::ClientDefault> {
    api.client_defaults
        .iter()
        .find(|d| d.wire.eq_ignore_ascii_case(&parameter.wire))
}

/// The builder setter for a shared header's default.
pub(super) fn shared_header_setter(api: &Api, parameter: &Parameter) -> Ident {
    to_ident(client_default(api, parameter).map_or("default", |d| d.setter.as_str()))
}

/// The client field holding a shared header's default.
pub(super) fn shared_header_field(api: &Api, parameter: &Parameter) -> Ident {
    to_ident(client_default(api, parameter).map_or("default", |d| d.field.as_str()))
}
