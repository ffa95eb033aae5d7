//! [`client!`](crate::client!) and [`request!`](crate::request!): the
//! parts of a generated client that are the same for every API, declared
//! from what differs (the auth scheme enum, the defaults of shared
//! headers, one operation's names and answer type).

/// Declares a generated client's `Client` and `ClientBuilder`: the
/// settings every client has (base URL, timeout, user agent, retries, a
/// custom `reqwest::Client` or `tower::Service`), the API key when an
/// `#[auth(Scheme)]` enum is given, and one builder setter per field of
/// the call, each a default for a header that every operation has
/// (`#[setter(name)]` names the setter).
///
/// The calling module provides `ClientError` (see
/// [`client_error!`](crate::client_error!)) and an inherent
/// `fn authorize(&self, reqwest::RequestBuilder) -> reqwest::RequestBuilder`
/// on `Client` that adds the credentials. `Client` gets `new`, `builder`,
/// `base_url`, `http_client`, and the private `url` (a path given as
/// segments under the base URL) and `call` (what every
/// [`request!`](crate::request!) builder's `send` ends in).
///
/// ```
/// mod client {
///     krosai_runtime::client_error! {
///         pub enum ClientError {}
///     }
///
///     /// How the key is sent.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
///     pub enum AuthScheme {
///         /// As a bearer token.
///         #[default]
///         Bearer,
///     }
///
///     krosai_runtime::client! {
///         #[auth(AuthScheme)]
///         pub struct Client {
///             /// A default for the `x-tenant` header.
///             #[setter(tenant)]
///             default_tenant: String,
///         }
///     }
///
///     impl Client {
///         fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
///             match &self.auth {
///                 Some((AuthScheme::Bearer, key)) => request.bearer_auth(key.expose()),
///                 None => request,
///             }
///         }
///
///         pub fn tenant(&self) -> Option<&str> {
///             self.default_tenant.as_deref()
///         }
///     }
/// }
///
/// let client = client::Client::builder("https://api.example.com/v1")
///     .api_key("k")
///     .tenant("acme".to_owned())
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url(), "https://api.example.com/v1");
/// assert_eq!(client.tenant(), Some("acme"));
/// assert!(!format!("{client:?}").contains('k'));
/// assert!(client::Client::new("not a URL").is_err());
/// ```
#[macro_export]
macro_rules! client {
    (
        $(#[$auth:ident($scheme:ident)])?
        $vis:vis struct Client {
            $(
                $(#[doc = $doc:literal])*
                #[setter($setter:ident)]
                $field:ident : $type:ty
            ),* $(,)?
        }
    ) => {
        /// A client for the API. Cheap to clone: clones share one
        /// connection pool.
        #[derive(Clone)]
        $vis struct Client {
            base_url: ::reqwest::Url,
            http: $crate::client::Transport,
            retry: $crate::client::RetryPolicy,
            $($auth: ::core::option::Option<($scheme, $crate::client::Secret)>,)?
            $($field: ::core::option::Option<$type>,)*
        }

        impl ::core::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    .field("transport", &self.http)
                    $(.field(::core::stringify!($auth), &self.$auth.as_ref().map(|(scheme, _)| scheme)))?
                    $(.field(::core::stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }

        /// Settings for a [`Client`].
        #[derive(Debug)]
        #[must_use = "a builder does nothing until `build` is called"]
        $vis struct ClientBuilder {
            base_url: ::std::string::String,
            http: ::core::option::Option<::reqwest::Client>,
            service: ::core::option::Option<$crate::client::Service>,
            timeout: ::core::option::Option<::core::time::Duration>,
            user_agent: ::core::option::Option<::std::string::String>,
            retry: $crate::client::RetryPolicy,
            $($auth: ::core::option::Option<($scheme, $crate::client::Secret)>,)?
            $($field: ::core::option::Option<$type>,)*
        }

        impl ClientBuilder {
            $(
                /// The API key, sent with the default scheme. It never
                /// appears in `Debug` output or error messages.
                pub fn api_key(self, key: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.api_key_with(<$scheme as ::core::default::Default>::default(), key)
                }

                /// The API key, sent with the given scheme (for example in
                /// a header instead of `Authorization: Bearer`).
                pub fn api_key_with(
                    mut self,
                    scheme: $scheme,
                    key: impl ::core::convert::Into<::std::string::String>,
                ) -> Self {
                    self.$auth = ::core::option::Option::Some((
                        scheme,
                        $crate::client::Secret::new(key.into()),
                    ));
                    self
                }
            )?

            $(
                $(#[doc = $doc])*
                pub fn $setter(mut self, value: $type) -> Self {
                    self.$field = ::core::option::Option::Some(value);
                    self
                }
            )*

            /// A timeout for each attempt of a request (connect, send,
            /// receive). Ignored when a custom `reqwest::Client` is
            /// given (set it there).
            pub fn timeout(mut self, timeout: ::core::time::Duration) -> Self {
                self.timeout = ::core::option::Option::Some(timeout);
                self
            }

            /// When requests are sent again
            /// ([`RetryPolicy::new`](krosai_runtime::client::RetryPolicy::new)
            /// by default: idempotent requests, twice more, on connection
            /// errors, timeouts, `408`, `429`, `502`, `503` and `504`;
            /// [`RetryPolicy::none`](krosai_runtime::client::RetryPolicy::none)
            /// turns retries off).
            pub fn retry(mut self, policy: $crate::client::RetryPolicy) -> Self {
                self.retry = policy;
                self
            }

            /// The `User-Agent` header. Ignored when a custom
            /// `reqwest::Client` is given.
            pub fn user_agent(
                mut self,
                user_agent: impl ::core::convert::Into<::std::string::String>,
            ) -> Self {
                self.user_agent = ::core::option::Option::Some(user_agent.into());
                self
            }

            /// A `reqwest::Client` of your own (custom TLS, proxies,
            /// connection pool settings...).
            pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                self.http = ::core::option::Option::Some(http);
                self
            }

            /// Sends requests through a `tower::Service` instead of over
            /// the network: a generated server's router (a test against a
            /// typed fake of the API, without a socket), a stack of layers
            /// around [`krosai_runtime::client::HttpClient`] that signs or
            /// logs requests, or a test double. The typed API, the checks,
            /// retries and timeouts stay as they are.
            pub fn service(mut self, service: impl $crate::client::HttpService) -> Self {
                self.service = ::core::option::Option::Some($crate::client::Service::new(service));
                self
            }

            /// Builds the client. Fails if the base URL is not a valid
            /// absolute URL or the HTTP client cannot be created.
            pub fn build(self) -> ::core::result::Result<Client, ClientError> {
                let base_url =
                    $crate::client::base_url(&self.base_url).map_err(ClientError::Config)?;
                let http = match self.http {
                    ::core::option::Option::Some(http) => http,
                    ::core::option::Option::None => {
                        $crate::client::http_client(self.timeout, self.user_agent)
                            .map_err(ClientError::Config)?
                    }
                };
                ::core::result::Result::Ok(Client {
                    base_url,
                    http: $crate::client::Transport::new(http, self.service, self.timeout),
                    retry: self.retry,
                    $($auth: self.$auth,)?
                    $($field: self.$field,)*
                })
            }
        }

        impl Client {
            /// A client for `base_url` with default settings.
            pub fn new(
                base_url: impl ::core::convert::Into<::std::string::String>,
            ) -> ::core::result::Result<Self, ClientError> {
                Self::builder(base_url).build()
            }

            /// Settings for a client of `base_url` (the API's, or a test
            /// server's).
            pub fn builder(
                base_url: impl ::core::convert::Into<::std::string::String>,
            ) -> ClientBuilder {
                ClientBuilder {
                    base_url: base_url.into(),
                    http: ::core::option::Option::None,
                    service: ::core::option::Option::None,
                    timeout: ::core::option::Option::None,
                    user_agent: ::core::option::Option::None,
                    retry: $crate::client::RetryPolicy::new(),
                    $($auth: ::core::option::Option::<($scheme, $crate::client::Secret)>::None,)?
                    $($field: ::core::option::Option::None,)*
                }
            }

            /// The base URL requests are sent under.
            pub fn base_url(&self) -> &str {
                self.base_url.as_str()
            }

            /// The `reqwest::Client` requests are built (and, without a
            /// custom service, sent) with.
            pub fn http_client(&self) -> &::reqwest::Client {
                self.http.http_client()
            }

            /// The URL for a path given as segments (each percent-encoded).
            #[allow(dead_code)]
            fn url(&self, segments: &[&str]) -> ::reqwest::Url {
                $crate::client::join_path(&self.base_url, segments)
            }

            /// Sends a request of `operation` (unless building it failed)
            /// and decodes the answer with `answer`, sending it again as
            /// the retry policy says (`idempotent`: sending it twice is
            /// harmless). Every operation's `send` ends here: the one
            /// `async` body of the client.
            #[allow(dead_code)]
            async fn call<T>(
                &self,
                request: ::core::result::Result<::reqwest::RequestBuilder, ClientError>,
                operation: $crate::Operation,
                idempotent: bool,
                options: $crate::client::RequestOptions,
                answer: $crate::client::Decode<T, ClientError>,
            ) -> ::core::result::Result<$crate::client::Response<T>, ClientError> {
                let request = options.apply(self.authorize(request?));
                let (status, headers, bytes) = self
                    .http
                    .execute(
                        request,
                        &operation,
                        idempotent,
                        &options.retry_policy(&self.retry),
                    )
                    .await
                    .map_err(ClientError::transport)?;
                answer(status, headers, bytes)
            }
        }
    };
}

/// Declares the request builder of one operation: the struct (with the
/// `client` it is sent by and its per-request
/// [`options`](crate::client::RequestOptions) added to the fields of the
/// call, and a lifetime `'a`), its `options` setter, its `send`, and the
/// `IntoFuture` impl that makes it `.await`able (boxing `send`'s future,
/// so that it is `Send` and nameable).
///
/// `#[operation(ID, METHOD, PATH)]` names the operation for
/// [`Client::call`](crate::client!), `#[idempotent(..)]` says whether
/// sending it twice is harmless (`true`, `false`, or
/// `params.FIELD`: when that parameter, an idempotency key, is set), and
/// `#[answer(T)]` is the body of a successful
/// [`Response`](crate::client::Response). The calling module provides
/// `Client` (see [`client!`](crate::client!)), `ClientError`, and, in an
/// inherent impl of the builder, `fn request(self) -> Result<reqwest::RequestBuilder, ClientError>`
/// (checks and builds the request) and `fn answer` (a
/// [`Decode`](crate::client::Decode) of the answer).
#[macro_export]
macro_rules! request {
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:path),* $(,)?)]
        #[operation($id:literal, $method:literal, $path:literal)]
        #[idempotent($($idempotent:tt)+)]
        #[answer($success:ty)]
        $vis:vis struct $name:ident {
            $($field:ident : $type:ty),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive($($derive),*)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        $vis struct $name<'a> {
            client: &'a Client,
            $($field: $type,)*
            options: $crate::client::RequestOptions,
        }

        impl<'a> $name<'a> {
            /// Settings for this request only: a timeout, extra headers,
            /// the retry policy (each overriding the client's).
            pub fn options(mut self, options: $crate::client::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Checks the parameters against the spec, sends the request
            /// and decodes the answer (the answers are listed on the
            /// type).
            pub fn send(
                mut self,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<$crate::client::Response<$success>, ClientError>,
            > + ::core::marker::Send
                   + 'a {
                let client = self.client;
                let options = ::core::mem::take(&mut self.options);
                let idempotent = $crate::__idempotent!(self $($idempotent)+);
                client.call(
                    self.request(),
                    $crate::Operation::new($id, $method, $path),
                    idempotent,
                    options,
                    Self::answer,
                )
            }
        }

        impl<'a> ::core::future::IntoFuture for $name<'a> {
            type Output = ::core::result::Result<$crate::client::Response<$success>, ClientError>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<
                    dyn ::core::future::Future<Output = Self::Output> + ::core::marker::Send + 'a,
                >,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}

/// Whether a request of [`request!`](crate::request!) may be sent twice.
#[doc(hidden)]
#[macro_export]
macro_rules! __idempotent {
    ($request:ident true) => {
        true
    };
    ($request:ident false) => {
        false
    };
    ($request:ident params.$field:ident) => {
        $request.params.$field.is_some()
    };
}
