//! ORCID's OAuth scopes (`docs/orcid-api.md` §1.9; ORCID/orcid-model
//! `src/main/java/org/orcid/jaxb/model/message/ScopePathType.java`).

use std::fmt;
use std::str::FromStr;

macro_rules! scopes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $cc:literal; )*) => {
        /// An OAuth scope ORCID knows. Every scope of ORCID's
        /// `ScopeConstants` that a client can request, including the legacy
        /// 1.2 scopes the token endpoint still parses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Scope {
            $( $(#[$doc])* $variant, )*
        }

        impl Scope {
            /// Every scope.
            pub const ALL: &'static [Scope] = &[ $( Scope::$variant, )* ];

            /// The scope as ORCID writes it, e.g. `/activities/update`.
            pub fn as_str(self) -> &'static str {
                match self { $( Scope::$variant => $text, )* }
            }

            /// Whether it is granted by the client-credentials (2-legged)
            /// flow rather than by a user (`ScopePathType.isClientCreditalScope`).
            pub fn is_client_credentials(self) -> bool {
                match self { $( Scope::$variant => $cc, )* }
            }
        }
    };
}

scopes! {
    /// `/authenticate`: the user's iD (and public name) only.
    Authenticate = "/authenticate", false;
    /// `openid`: OpenID Connect sign-in (adds an `id_token`).
    OpenId = "openid", false;
    /// `/read-limited`: read limited-visibility items of the whole record.
    ReadLimited = "/read-limited", false;
    /// `/activities/update`: add/update/delete works, fundings, affiliations, peer reviews.
    ActivitiesUpdate = "/activities/update", false;
    /// `/person/update`: add/update/delete person items (researcher-urls, keywords, …).
    PersonUpdate = "/person/update", false;
    /// `/activities/read-limited`.
    ActivitiesReadLimited = "/activities/read-limited", false;
    /// `/person/read-limited`.
    PersonReadLimited = "/person/read-limited", false;
    /// `/email/read-private`: every verified e-mail, whatever its visibility.
    EmailReadPrivate = "/email/read-private", false;
    /// Legacy `/orcid-bio/read-limited`.
    OrcidBioReadLimited = "/orcid-bio/read-limited", false;
    /// Legacy `/orcid-profile/read-limited`.
    OrcidProfileReadLimited = "/orcid-profile/read-limited", false;
    /// Legacy `/orcid-works/read-limited`.
    OrcidWorksReadLimited = "/orcid-works/read-limited", false;
    /// Legacy `/orcid-works/create`.
    OrcidWorksCreate = "/orcid-works/create", false;
    /// Legacy `/orcid-works/update`.
    OrcidWorksUpdate = "/orcid-works/update", false;
    /// Legacy `/funding/read-limited`.
    FundingReadLimited = "/funding/read-limited", false;
    /// Legacy `/funding/create`.
    FundingCreate = "/funding/create", false;
    /// Legacy `/funding/update`.
    FundingUpdate = "/funding/update", false;
    /// Legacy `/affiliations/read-limited`.
    AffiliationsReadLimited = "/affiliations/read-limited", false;
    /// Legacy `/affiliations/create`.
    AffiliationsCreate = "/affiliations/create", false;
    /// Legacy `/affiliations/update`.
    AffiliationsUpdate = "/affiliations/update", false;
    /// Legacy `/peer-review/read-limited`.
    PeerReviewReadLimited = "/peer-review/read-limited", false;
    /// Legacy `/peer-review/create`.
    PeerReviewCreate = "/peer-review/create", false;
    /// Legacy `/peer-review/update`.
    PeerReviewUpdate = "/peer-review/update", false;
    /// Legacy `/orcid-patents/read-limited`.
    OrcidPatentsReadLimited = "/orcid-patents/read-limited", false;
    /// Legacy `/orcid-patents/create`.
    OrcidPatentsCreate = "/orcid-patents/create", false;
    /// Legacy `/orcid-patents/update`.
    OrcidPatentsUpdate = "/orcid-patents/update", false;
    /// Legacy `/orcid-bio/update`.
    OrcidBioUpdate = "/orcid-bio/update", false;
    /// Legacy `/orcid-bio/external-identifiers/create`.
    OrcidBioExternalIdentifiersCreate = "/orcid-bio/external-identifiers/create", false;
    /// `/read-public` (client credentials): read public data of any record.
    ReadPublic = "/read-public", true;
    /// `/webhook` (client credentials).
    Webhook = "/webhook", true;
    /// `/premium-notification` (client credentials): send permission notifications.
    PremiumNotification = "/premium-notification", true;
    /// `/group-id-record/read` (client credentials).
    GroupIdRecordRead = "/group-id-record/read", true;
    /// `/group-id-record/update` (client credentials).
    GroupIdRecordUpdate = "/group-id-record/update", true;
    /// `/orcid-profile/create` (client credentials): refused by ORCID since
    /// v2 (400); listed so that it parses.
    OrcidProfileCreate = "/orcid-profile/create", true;
    /// `/basic-notification`.
    BasicNotification = "/basic-notification", false;
    /// `/identifier-types/create`.
    IdentifierTypesCreate = "/identifier-types/create", false;
}

impl Scope {
    /// Parses ORCID's space-separated scope list (as in a token response),
    /// skipping unknown scopes. Repeated spaces are allowed.
    pub fn parse_list(list: &str) -> Vec<Scope> {
        list.split_whitespace()
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    /// Reads the scopes a user asks for (`--scope` values, a setting):
    /// each value may hold several scopes separated by spaces or commas,
    /// and the leading `/` may be left out (`read-limited`). Duplicates are
    /// dropped, keeping the first position. An input with no scope at all
    /// gives `defaults` (each caller has its own).
    ///
    /// Unlike [`Scope::parse_list`] (for what ORCID sends back), this is
    /// strict: an unknown scope is an error, and so is a scope granted to
    /// the client itself (client credentials, e.g. `/read-public`), which a
    /// researcher cannot grant.
    ///
    /// ```
    /// use orcid_client::Scope;
    ///
    /// let scopes = Scope::parse_requested(&["read-limited,/activities/update"], &[]).unwrap();
    /// assert_eq!(scopes, [Scope::ReadLimited, Scope::ActivitiesUpdate]);
    /// let none: [&str; 0] = [];
    /// assert_eq!(Scope::parse_requested(&none, &[Scope::Authenticate]).unwrap(), [Scope::Authenticate]);
    /// assert!(Scope::parse_requested(&["/read-public"], &[]).is_err());
    /// ```
    pub fn parse_requested<S: AsRef<str>>(
        values: &[S],
        defaults: &[Scope],
    ) -> Result<Vec<Scope>, ScopeListError> {
        let mut out: Vec<Scope> = Vec::new();
        for part in values
            .iter()
            .flat_map(|v| v.as_ref().split(|c: char| c == ',' || c.is_whitespace()))
            .filter(|p| !p.is_empty())
        {
            let scope = match part.parse::<Scope>() {
                Ok(s) => s,
                Err(e) if part.starts_with('/') => return Err(e.into()),
                Err(_) => format!("/{part}").parse::<Scope>()?,
            };
            if scope.is_client_credentials() {
                return Err(ScopeListError::ClientCredentials(scope));
            }
            if !out.contains(&scope) {
                out.push(scope);
            }
        }
        if out.is_empty() {
            out = defaults.to_vec();
        }
        Ok(out)
    }

    /// Joins scopes with single spaces, as ORCID expects them.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope string ORCID does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an ORCID scope")]
pub struct UnknownScope(pub String);

/// Why [`Scope::parse_requested`] refused a scope list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeListError {
    /// A scope ORCID does not know (named with its leading `/`).
    #[error(transparent)]
    Unknown(#[from] UnknownScope),
    /// A scope granted to the client itself (client credentials), which a
    /// researcher cannot grant.
    #[error("`{0}` is granted to the client itself (client credentials), not by a researcher")]
    ClientCredentials(Scope),
}

impl FromStr for Scope {
    type Err = UnknownScope;
    fn from_str(s: &str) -> Result<Scope, UnknownScope> {
        let t = s.trim();
        Scope::ALL
            .iter()
            .copied()
            .find(|sc| sc.as_str() == t)
            .ok_or_else(|| UnknownScope(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for s in Scope::ALL {
            assert_eq!(s.as_str().parse::<Scope>().unwrap(), *s);
        }
        assert!("/web-hook".parse::<Scope>().is_err());
        assert_eq!(
            Scope::parse_list("/read-limited  /activities/update /person/update"),
            vec![
                Scope::ReadLimited,
                Scope::ActivitiesUpdate,
                Scope::PersonUpdate
            ]
        );
    }

    #[test]
    fn parse_requested() {
        let defaults = [Scope::ReadLimited, Scope::PersonUpdate];
        let none: [&str; 0] = [];
        assert_eq!(Scope::parse_requested(&none, &defaults).unwrap(), defaults);
        assert_eq!(
            Scope::parse_requested(&[" , "], &defaults).unwrap(),
            defaults
        );
        assert_eq!(
            Scope::parse_requested(
                &["activities/update,/read-limited", "/read-limited"],
                &defaults
            )
            .unwrap(),
            vec![Scope::ActivitiesUpdate, Scope::ReadLimited]
        );
        assert_eq!(
            Scope::parse_requested(&["/authenticate openid"], &[]).unwrap(),
            vec![Scope::Authenticate, Scope::OpenId]
        );
        assert_eq!(
            Scope::parse_requested(&[String::from("person/update\t/person/update")], &[]).unwrap(),
            vec![Scope::PersonUpdate]
        );

        let e = Scope::parse_requested(&["/read-public"], &defaults).unwrap_err();
        assert_eq!(e, ScopeListError::ClientCredentials(Scope::ReadPublic));
        assert_eq!(
            e.to_string(),
            "`/read-public` is granted to the client itself (client credentials), not by a \
             researcher"
        );
        assert!(Scope::parse_requested(&["webhook"], &[]).is_err());

        let e = Scope::parse_requested(&["/nope"], &defaults).unwrap_err();
        assert_eq!(e, ScopeListError::Unknown(UnknownScope("/nope".into())));
        assert_eq!(e.to_string(), "`/nope` is not an ORCID scope");
        // Without its `/`, the scope is named as it was looked up.
        let e = Scope::parse_requested(&["read-limited nope"], &[]).unwrap_err();
        assert_eq!(e.to_string(), "`/nope` is not an ORCID scope");
    }
}
