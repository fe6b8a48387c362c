//! A thin, blocking client for ORCID's OAuth and member API (v3.0 and
//! v2.1), for the
//! "create-on-demand" flow: send the user to ORCID's authorize page, take
//! the code back, exchange it for a token, then add, read, update and
//! delete items of the user's record.
//!
//! # API versions
//!
//! [`ClientConfig::api_version`] (default [`orcid_model::Version::V3_0`],
//! ORCID's default) is the version of [`MemberApi::read_section_any`],
//! [`MemberApi::read_item_any`], [`MemberApi::read_summary_any`] and
//! [`MemberApi::delete_any`] (`{api_base}/v3.0/…`); [`MemberApi::add_any`]
//! and [`MemberApi::update_any`] send an [`orcid_model::AnyDocument`] in
//! its own version. Sections are named by v3.0's
//! `orcid_model::v3_0::section::ItemSection`, which has every v2.1 section
//! and the six only v3.0 has (distinction, invited-position, membership,
//! qualification, service, research-resource); [`ApiSection`] names what
//! can be read (lists, the record, `summary`). The methods typed with
//! v2.1's [`orcid_model::Document`] (`add`, `read_item`, `read_section`,
//! …), notifications and group-id records speak v2.1, as before. Bulk
//! works ([`MemberApi::add_works_bulk`], [`MemberApi::read_works_bulk_as`])
//! speak the version of the work type ([`BulkWork`]): v2.1's
//! `orcid_model::v2_1::work::Work` or v3.0's `orcid_model::v3_0::work::Work`,
//! one code path for both. Error bodies are read the same way in both
//! versions.
//!
//! ```no_run
//! # use orcid_client::{ApiSection, OrcidClient, SecretString};
//! # use orcid_model::{scalar::OrcidId, v3_0, AnyDocument};
//! # fn f(client: &OrcidClient, token: &SecretString, orcid: &OrcidId, xml: &str)
//! #     -> Result<(), Box<dyn std::error::Error>> {
//! let api = client.member(token); // v3.0 unless configured otherwise
//! let item = AnyDocument::V3_0(v3_0::Document::from_xml(xml)?); // a distinction
//! let put_code = api.add_any(orcid, &item)?; // POST /v3.0/{orcid}/distinction
//! let groups = api.read_section_any(
//!     orcid,
//!     ApiSection::List(v3_0::section::ItemSection::Distinction),
//! )?; // activities:distinctions, affiliation groups
//! # let _ = (put_code, groups); Ok(()) }
//! ```
//!
//! Requests and answers go through the typed model of [`orcid_model`] in
//! `application/vnd.orcid+xml` (default) or `+json`; payloads are checked
//! with [`orcid_validate`] before they are sent (on by default).
//!
//! ```no_run
//! use orcid_client::{ClientConfig, Environment, OrcidClient, Scope, AuthorizationCallback};
//! use orcid_model::Document;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = ClientConfig::new(
//!     "APP-XXXXXXXXXXXXXXXX",
//!     std::env::var("ORCID_CLIENT_SECRET")?,
//!     "https://repository.example.org/orcid/callback",
//!     Environment::Sandbox,
//! );
//! let client = OrcidClient::new(config)?;
//!
//! // 1. Send the user to ORCID (registration form first, pre-filled).
//! let auth = client
//!     .authorize([Scope::ActivitiesUpdate, Scope::ReadLimited])
//!     .given_names("Sofia")
//!     .family_names("Garcia")
//!     .email("sofia@example.org")
//!     .show_login(false)
//!     .build()?;
//! // … redirect the browser to `auth.url`, keep `auth.state` in the session …
//!
//! // 2. ORCID redirects back; check the state, take the code, get a token.
//! let redirect = "https://repository.example.org/orcid/callback?code=Q70Y3A&state=…";
//! let code = AuthorizationCallback::parse(redirect).into_code(&auth.state)?;
//! let token = client.exchange_code(&code)?;
//! let orcid = token.orcid.clone().expect("a 3-legged token names the iD");
//!
//! // 3. Write to the record.
//! let work = Document::from_xml(&std::fs::read_to_string("work.xml")?)?;
//! let api = client.member(&token.access_token);
//! let put_code = api.add(&orcid, &work)?;
//! let stored = api.read_item(&orcid, orcid_model::ItemSection::Work, put_code)?;
//! # let _ = stored;
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! Every failure is an [`Error`]; [`Error::kind`] classifies it
//! ([`ErrorKind::Retryable`], [`ErrorKind::Reauthorize`],
//! [`ErrorKind::FixPayload`], [`ErrorKind::Conflict`], …). ORCID's answers
//! — OAuth `{"error", "error_description"}` and ORCID's `error:error` in
//! XML or JSON — become an [`ApiError`] with the HTTP status, the parsed
//! body and ORCID's `error-code` (every code of the API's table is
//! classified). A payload refused by pre-send validation is
//! [`Error::Invalid`], with the [`orcid_validate::Report`].
//!
//! # Retries
//!
//! GET, PUT and DELETE are retried on 429, 502, 503, 504 and connection
//! faults (a GET on 500 too), with exponential backoff and jitter, honouring `Retry-After`
//! ([`RetryPolicy`]). **POST is never retried**: ORCID might have created
//! the item before the connection broke, and a code exchanged twice
//! revokes its tokens. To recover from a failed POST (a
//! [`ErrorKind::Retryable`] error from [`MemberApi::add`] or
//! [`MemberApi::add_works_bulk`]):
//!
//! * works, fundings and peer reviews: send the POST again — if the first
//!   one had succeeded, ORCID answers 409/9021 and
//!   [`ApiError::conflicting_put_code`] gives the put-code of the item
//!   created; update that one instead;
//! * other items (affiliations, person items): read the section
//!   ([`MemberApi::read_section`]) and look for your item (its `source` is
//!   your client) before posting again;
//! * token endpoint: start the authorize flow again rather than
//!   re-exchanging a code.
//!
//! A client-side token bucket ([`RateLimit`], ORCID's 24 requests/s with a
//! burst of 40 by default) is shared by all clones of a client.
//!
//! # Async callers
//!
//! The client blocks. From async code run each call on the blocking pool,
//! with a clone of the client (cheap: an `Arc`):
//!
//! ```ignore
//! let client = client.clone();
//! let token = token.access_token.clone();
//! let put_code = tokio::task::spawn_blocking(move || {
//!     client.member(&token).add(&orcid, &work)
//! })
//! .await??;
//! ```
//!
//! # Secrets
//!
//! The client secret and every token are [`secrecy::SecretString`]s: their
//! `Debug` is `[REDACTED]`. Errors never contain them (ORCID's texts are
//! scrubbed of every secret the request carried, and of what follows
//! `token: `, since ORCID's 401 echoes the token), and logs (`tracing`,
//! target `orcid_client`) carry only method, path, status and timings.

#![warn(missing_docs)]

mod client;
mod config;
mod error;
mod member;
mod oauth;
mod rate_limit;
mod scope;

pub use client::OrcidClient;
pub use config::{ClientConfig, Environment, RateLimit, RetryPolicy, Timeouts, WireFormat};
pub use error::{ApiError, Error, ErrorDetail, ErrorKind, InvalidPayload};
pub use member::{
    put_code_of, put_code_of_any, v2_section, v3_section, ApiSection, BulkAddOutcome,
    BulkReadOutcome, BulkWork, Deleted, GroupIdQuery, MemberApi, Section,
};
pub use oauth::{
    verify_state, AuthorizationCallback, AuthorizeRequest, AuthorizeUrl, Prompt, TokenResponse,
};
pub use scope::{Scope, ScopeListError, UnknownScope};

/// Re-exported for convenience: tokens and the client secret.
pub use secrecy::{ExposeSecret, SecretString};
