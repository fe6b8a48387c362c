//! The errors of setting up and serving the connect page.
//!
//! What goes wrong while a researcher connects (a wrong `state`, a denial,
//! an exchange ORCID refuses) is not an error of the library: it becomes a
//! page for the researcher and a [`ConnectEvent`](crate::ConnectEvent) for
//! the operator.

use std::path::PathBuf;

/// Everything that can fail when the app is built or served. No variant
/// ever holds a secret (the client secret, a code or a token).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The public URL is not an absolute `http(s)` URL without query or
    /// fragment.
    #[error("public URL `{url}`: {reason}")]
    PublicUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A scope is unknown, or is granted to the client itself (client
    /// credentials) rather than by a researcher, or none is configured.
    #[error("scope: {0}")]
    Scope(String),
    /// ORCID's token response names no researcher (a client-credentials
    /// token), so it cannot be stored (see [`stored_token`](crate::stored_token)).
    #[error("ORCID's token response names no iD (a client-credentials token?)")]
    TokenWithoutOrcid,
    /// ORCID's token response names an iD that is not a valid ORCID iD
    /// (see [`stored_token`](crate::stored_token)). Holds that iD.
    #[error("ORCID's token response names `{0}`, which is not a valid ORCID iD")]
    TokenInvalidOrcid(String),
    /// The ORCID client cannot be built from the configuration (e.g. an
    /// environment base URL that is not `http(s)`).
    #[error("ORCID client: {0}")]
    Client(#[from] orcid_client::Error),
    /// The store cannot be opened or created.
    #[error("store `{}`: {source}", path.display())]
    Store {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: orcid_store::Error,
    },
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
