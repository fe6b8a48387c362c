//! The vnd.orcid+json mapping rules that the XSD does not carry.
//!
//! ORCID's JSON is Jackson's serialisation of its JAXB beans, so a handful of
//! facts come from the Java model rather than from the schema. They are kept
//! here as data, each with the rule of `docs/orcid-json-mapping.md` (R1–R16)
//! it implements, and applied to the IR before rendering:
//!
//! * which XSD type is which Java class, and that class's JSON keys
//!   (Appendix A): XSD fields without a key are XML-only (R13);
//! * which simple elements become `{"value": …}` (R4, R8);
//! * enum spellings (R7), person-item `display-index` as a number (R3);
//! * the polymorphic bulk list (R2, R9).

use anyhow::{bail, Result};

use orcid_schemas::SchemaSet;

use crate::ir::{Body, Field, FieldKind, FieldValue, JsonShape, Model, Scalar, Struct, ValueType};

/// How an enum's values are spelled in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumSpelling {
    /// Java constant name: upper case, `-` -> `_` (R7).
    JavaConstant,
    /// As in XML (country, language and currency codes; R7 exceptions).
    Xml,
}

/// Enum types whose JSON spelling is the XML value (R7 "not converted").
const XML_SPELLED_ENUMS: &[&str] = &[
    "common:iso-3166-country",
    "common:language-code",
    "common:currency-code",
    "common:empty",
];

/// R7: the one Java constant that is not the mechanical derivation.
const IRREGULAR_CONSTANTS: &[(&str, &str)] = &[("service-anouncement", "SERVICE_ANNOUNCEMENT")];

/// R4: simple-typed elements that Java models as a one-property class and so
/// become `{"value": …}`, by local name.
const WRAPPED_ELEMENTS: &[&str] = &[
    "given-names",
    "family-name",
    "credit-name",
    "contributor-email",
    "source-name",
    "title",
    "subtitle",
    "journal-title",
    "url",
    "external-id-url",
    "country",
    "year",
    "month",
    "day",
    "organization-defined-type",
    "review-url",
    "subject-url",
    "subject-container-name",
];

/// R4 exceptions: (owner XSD type, element) that stay bare strings even
/// though their local name is in [`WRAPPED_ELEMENTS`].
const BARE_EXCEPTIONS: &[(&str, &str)] = &[
    // Organization address country is a bare "US" (OrganizationAddress.java:45).
    ("common:organization-address", "country"),
];

/// R8: owners whose timestamps are bare epoch numbers, not `{"value"}`.
const BARE_TIMESTAMP_OWNERS: &[&str] = &["notification:notification"];

/// R3: owners whose `display-index` is a JSON number (Java `Long`).
const NUMERIC_DISPLAY_INDEX: &[&str] = &[
    "other-name:other-name",
    "keyword:keyword",
    "researcher-url:researcher-url",
    "address:address",
    "external-identifier:external-identifier",
];

/// R7/R13: fields whose enum keeps its XML spelling because Java holds a
/// `String` there (group-id-record `type`).
const XML_SPELLED_FIELDS: &[(&str, &str)] = &[("group-id:group-id-record", "type")];

/// Appendix A keys that have no XSD field: Java carries them, so ORCID
/// always writes them (as `null`, since XML cannot fill them) and accepts
/// them on input. Any other Appendix A key without an XSD field is an error.
pub const JSON_ONLY_KEYS: &[(&str, &str)] = &[
    ("personal-details:name", "source"),
    ("notification:item", "put-code"),
    // `media-type` is a `PublicationDate` attribute in Java; no 2.1 element
    // carries it, so it is always `null` (R8).
    ("common:publication-date", "media-type"),
];

/// Appendix A key lists that several classes share, written once.
///
/// An affiliation: education and employment, and their summaries.
const AFFILIATION_KEYS: &[&str] = &[
    "department-name",
    "role-title",
    "start-date",
    "end-date",
    "organization",
    "source",
    "last-modified-date",
    "created-date",
    "put-code",
    "path",
    "visibility",
];

/// A grouped activity list: works, fundings, peer reviews.
const GROUPED_ACTIVITIES_KEYS: &[&str] = &["last-modified-date", "group", "path"];

/// An ORCID-identifier-shaped value: the ORCID iD, a client id, an
/// authorization URL.
const ORCID_ID_KEYS: &[&str] = &["uri", "path", "host"];

/// A work or funding contributor.
const CONTRIBUTOR_KEYS: &[&str] = &[
    "contributor-orcid",
    "credit-name",
    "contributor-email",
    "contributor-attributes",
];

/// A person item whose value is its text content: other name, keyword.
const PERSON_TEXT_ITEM_KEYS: &[&str] = &[
    "content",
    "source",
    "put-code",
    "last-modified-date",
    "created-date",
    "visibility",
    "path",
    "display-index",
];

/// Appendix A: XSD type (by XSD name; a named type and an element's
/// anonymous type of the same name are the same Java class) -> JSON keys of the Java class.
/// Keys not in the list are XML-only (R13); a listed key missing from the
/// XSD is a codegen error, so a schema change cannot silently drift.
pub const JSON_CLASSES: &[(&str, &str, &[&str])] = &[
    (
        "record:record",
        "Record",
        &[
            "orcid-identifier",
            "preferences",
            "history",
            "person",
            "activities-summary",
            "path",
        ],
    ),
    (
        "person:person",
        "Person",
        &[
            "name",
            "other-names",
            "biography",
            "researcher-urls",
            "emails",
            "addresses",
            "keywords",
            "external-identifiers",
            "last-modified-date",
            "path",
        ],
    ),
    (
        "activities:activities-summary",
        "ActivitiesSummary",
        &[
            "last-modified-date",
            "educations",
            "employments",
            "fundings",
            "peer-reviews",
            "works",
            "path",
        ],
    ),
    ("activities:works", "Works", GROUPED_ACTIVITIES_KEYS),
    ("bulk:bulk", "WorkBulk", &["bulk"]),
    (
        "work:work",
        "Work",
        &[
            "title",
            "journal-title",
            "short-description",
            "citation",
            "type",
            "publication-date",
            "external-ids",
            "url",
            "contributors",
            "language-code",
            "country",
            "source",
            "put-code",
            "visibility",
            "path",
            "last-modified-date",
            "created-date",
        ],
    ),
    (
        "work:work-summary",
        "WorkSummary",
        &[
            "title",
            "type",
            "publication-date",
            "external-ids",
            "source",
            "last-modified-date",
            "created-date",
            "put-code",
            "path",
            "visibility",
            "display-index",
        ],
    ),
    (
        "funding:funding",
        "Funding",
        &[
            "type",
            "organization-defined-type",
            "title",
            "organization",
            "short-description",
            "amount",
            "url",
            "start-date",
            "end-date",
            "external-ids",
            "contributors",
            "source",
            "last-modified-date",
            "created-date",
            "put-code",
            "path",
            "visibility",
        ],
    ),
    ("activities:fundings", "Fundings", GROUPED_ACTIVITIES_KEYS),
    (
        "funding:funding-summary",
        "FundingSummary",
        &[
            "type",
            "title",
            "external-ids",
            "start-date",
            "end-date",
            "source",
            "last-modified-date",
            "created-date",
            "organization",
            "put-code",
            "path",
            "visibility",
            "display-index",
        ],
    ),
    ("education:education", "Education", AFFILIATION_KEYS),
    (
        "activities:educations",
        "Educations",
        &["last-modified-date", "education-summary", "path"],
    ),
    (
        "education:education-summary",
        "EducationSummary",
        AFFILIATION_KEYS,
    ),
    ("employment:employment", "Employment", AFFILIATION_KEYS),
    (
        "activities:employments",
        "Employments",
        &["last-modified-date", "employment-summary", "path"],
    ),
    (
        "employment:employment-summary",
        "EmploymentSummary",
        AFFILIATION_KEYS,
    ),
    (
        "peer-review:peer-review",
        "PeerReview",
        &[
            "reviewer-role",
            "review-identifiers",
            "review-url",
            "review-type",
            "review-completion-date",
            "review-group-id",
            "subject-external-identifier",
            "subject-container-name",
            "subject-type",
            "subject-name",
            "subject-url",
            "convening-organization",
            "source",
            "put-code",
            "visibility",
            "path",
            "last-modified-date",
            "created-date",
        ],
    ),
    (
        "activities:peer-reviews",
        "PeerReviews",
        GROUPED_ACTIVITIES_KEYS,
    ),
    (
        "peer-review:peer-review-summary",
        "PeerReviewSummary",
        &[
            "external-ids",
            "completion-date",
            "convening-organization",
            "source",
            "last-modified-date",
            "created-date",
            "put-code",
            "path",
            "visibility",
            "display-index",
            "review-group-id",
        ],
    ),
    (
        "researcher-url:researcher-urls",
        "ResearcherUrls",
        &["last-modified-date", "researcher-url", "path"],
    ),
    (
        "researcher-url:researcher-url",
        "ResearcherUrl",
        &[
            "url-name",
            "url",
            "source",
            "put-code",
            "last-modified-date",
            "created-date",
            "visibility",
            "path",
            "display-index",
        ],
    ),
    (
        "email:emails",
        "Emails",
        &["last-modified-date", "email", "path"],
    ),
    (
        "other-name:other-names",
        "OtherNames",
        &["last-modified-date", "other-name", "path"],
    ),
    ("other-name:other-name", "OtherName", PERSON_TEXT_ITEM_KEYS),
    (
        "personal-details:personal-details",
        "PersonalDetails",
        &[
            "last-modified-date",
            "name",
            "other-names",
            "biography",
            "path",
        ],
    ),
    (
        "keyword:keywords",
        "Keywords",
        &["last-modified-date", "keyword", "path"],
    ),
    ("keyword:keyword", "Keyword", PERSON_TEXT_ITEM_KEYS),
    (
        "address:addresses",
        "Addresses",
        &["last-modified-date", "address", "path"],
    ),
    (
        "address:address",
        "Address",
        &[
            "country",
            "source",
            "put-code",
            "last-modified-date",
            "created-date",
            "visibility",
            "path",
            "display-index",
        ],
    ),
    (
        "external-identifier:external-identifiers",
        "PersonExternalIdentifiers",
        &["last-modified-date", "external-identifier", "path"],
    ),
    (
        "external-identifier:external-identifier",
        "PersonExternalIdentifier",
        &[
            "external-id-type",
            "external-id-value",
            "external-id-relationship",
            "external-id-url",
            "source",
            "last-modified-date",
            "created-date",
            "put-code",
            "visibility",
            "path",
            "display-index",
        ],
    ),
    (
        "personal-details:biography",
        "Biography",
        &[
            "last-modified-date",
            "created-date",
            "content",
            "visibility",
            "path",
        ],
    ),
    ("search:search", "Search", &["result", "num-found"]),
    (
        "group-id:group-id-record",
        "GroupIdRecord",
        &["name", "group-id", "description", "type", "put-code"],
    ),
    (
        "group-id:group-id-records",
        "GroupIdRecords",
        &[
            "last-modified-date",
            "total",
            "page",
            "page-size",
            "group-id-record",
        ],
    ),
    (
        "notification:notification",
        "NotificationPermission",
        &[
            "put-code",
            "notification-type",
            "created-date",
            "sent-date",
            "read-date",
            "archived-date",
            "source",
            "authorization-url",
            "items",
            "actioned-date",
            "notification-subject",
            "notification-intro",
        ],
    ),
    (
        "error:error",
        "OrcidError",
        &[
            "response-code",
            "developer-message",
            "user-message",
            "error-code",
            "more-info",
        ],
    ),
    ("client:client", "ClientSummary", &["name", "description"]),
    (
        "history:history",
        "History",
        &[
            "creation-method",
            "completion-date",
            "submission-date",
            "last-modified-date",
            "claimed",
            "source",
            "deactivation-date",
            "verified-email",
            "verified-primary-email",
        ],
    ),
    ("preferences:preferences", "Preferences", &["locale"]),
    ("common:orcid-id", "OrcidIdBase", ORCID_ID_KEYS),
    (
        "personal-details:name",
        "Name",
        &[
            "given-names",
            "family-name",
            "credit-name",
            "visibility",
            "path",
            "source",
            "last-modified-date",
            "created-date",
        ],
    ),
    (
        "activities:work-group",
        "WorkGroup",
        &["last-modified-date", "external-ids", "work-summary"],
    ),
    (
        "work:work-title",
        "WorkTitle",
        &["title", "subtitle", "translated-title"],
    ),
    (
        "work:citation",
        "Citation",
        &["citation-type", "citation-value"],
    ),
    ("common:fuzzy-date", "FuzzyDate", &["year", "month", "day"]),
    (
        "common:publication-date",
        "PublicationDate",
        &["year", "month", "day", "media-type"],
    ),
    ("common:external-ids", "ExternalIDs", &["external-id"]),
    (
        "work:work-contributors",
        "WorkContributors",
        &["contributor"],
    ),
    ("common:country", "Country", &["value"]),
    (
        "common:source-type",
        "Source",
        &["source-orcid", "source-client-id", "source-name"],
    ),
    (
        "funding:funding-title",
        "FundingTitle",
        &["title", "translated-title"],
    ),
    (
        "common:organization",
        "Organization",
        &["name", "address", "disambiguated-organization"],
    ),
    ("common:amount", "Amount", &["value", "currency-code"]),
    (
        "funding:contributors",
        "FundingContributors",
        &["contributor"],
    ),
    (
        "activities:funding-group",
        "FundingGroup",
        &["last-modified-date", "external-ids", "funding-summary"],
    ),
    (
        "common:external-id",
        "ExternalID",
        &[
            "external-id-type",
            "external-id-value",
            "external-id-url",
            "external-id-relationship",
        ],
    ),
    (
        "activities:peer-review-group",
        "PeerReviewGroup",
        &["last-modified-date", "external-ids", "peer-review-summary"],
    ),
    (
        "email:email",
        "Email",
        &[
            "email",
            "source",
            "last-modified-date",
            "created-date",
            "put-code",
            "path",
            "visibility",
            "verified",
            "primary",
        ],
    ),
    (
        "notification:authorization-url",
        "AuthorizationUrl",
        ORCID_ID_KEYS,
    ),
    ("notification:items", "Items", &["item"]),
    (
        "common:translated-title",
        "TranslatedTitle",
        &["value", "language-code"],
    ),
    ("work:contributor", "Contributor", CONTRIBUTOR_KEYS),
    ("common:client-id", "SourceClientId", ORCID_ID_KEYS),
    (
        "common:organization-address",
        "OrganizationAddress",
        &["city", "region", "country"],
    ),
    (
        "common:disambiguated-organization",
        "DisambiguatedOrganization",
        &[
            "disambiguated-organization-identifier",
            "disambiguation-source",
        ],
    ),
    (
        "funding:contributor",
        "FundingContributor",
        CONTRIBUTOR_KEYS,
    ),
    (
        "notification:item",
        "Item",
        &["put-code", "item-type", "item-name", "external-id"],
    ),
    (
        "work:contributor-attributes",
        "ContributorAttributes",
        &["contributor-sequence", "contributor-role"],
    ),
    (
        "funding:contributor-attributes",
        "FundingContributorAttributes",
        &["contributor-role"],
    ),
];

/// The vnd.orcid+json facts of ORCID API v3.0 that differ from v2.1 (see
/// `docs/orcid-json-mapping.md` § "Where v3.0 differs"). The v3 Java beans
/// carry no `@JsonValue`, so enum values keep their XML spelling, except
/// `creation-method`, which v3 borrows from the v2 message package.
mod v3_0 {
    /// Enum types spelled as Java constants in v3.0 JSON (all others keep
    /// the XML spelling).
    pub const JAVA_SPELLED_ENUMS: &[&str] = &["history:creation-method"];

    /// R4 in v3.0: v2.1's list plus the v3 `source` additions.
    pub const EXTRA_WRAPPED_ELEMENTS: &[&str] = &["assertion-origin-name"];

    /// R4 exceptions in v3.0: the expanded-search result is flat strings
    /// (`v3/release/search/expanded/ExpandedResult.java`).
    pub const BARE_EXCEPTIONS: &[(&str, &str)] = &[
        ("common:organization-address", "country"),
        ("expanded-search:expanded-result", "given-names"),
        ("expanded-search:expanded-result", "family-names"),
        ("expanded-search:expanded-result", "credit-name"),
        ("expanded-search:expanded-result", "other-name"),
        ("expanded-search:expanded-result", "email"),
        ("expanded-search:expanded-result", "institution-name"),
    ];

    /// v3.0 classes whose JSON keys are not all their XSD fields (XML-only
    /// fields, R13): group-id-record as in v2.1.
    pub const JSON_CLASSES: &[(&str, &str, &[&str])] = &[
        (
            "group-id:group-id-record",
            "GroupIdRecord",
            &["name", "group-id", "description", "type", "put-code"],
        ),
        // The 3.0 XSD gives `common:external-id` the attributes and dates of
        // an element summary; `v3/release/common/ExternalID.java` has none.
        (
            "common:external-id",
            "ExternalID",
            &[
                "external-id-type",
                "external-id-value",
                "external-id-normalized",
                "external-id-normalized-error",
                "external-id-url",
                "external-id-relationship",
            ],
        ),
        (
            "history:history",
            "History",
            &[
                "creation-method",
                "completion-date",
                "submission-date",
                "last-modified-date",
                "claimed",
                "source",
                "deactivation-date",
                "verified-email",
                "verified-primary-email",
            ],
        ),
        (
            "email:email",
            "Email",
            &[
                "email",
                "source",
                "last-modified-date",
                "created-date",
                "put-code",
                "path",
                "visibility",
                "verified",
                "primary",
            ],
        ),
    ];

    /// JSON keys without an XSD field in v3.0.
    pub const JSON_ONLY_KEYS: &[(&str, &str)] = &[
        ("personal-details:name", "source"),
        ("notification:item", "put-code"),
    ];

    /// Repeated choices inside element content that JSON writes as one
    /// array of one-key objects: (owner, JSON key). An affiliation group's
    /// summaries (`v3/release/record/summary/AffiliationGroup.java`,
    /// `@XmlElements`).
    pub const CHOICE_ARRAYS: &[(&str, &str)] = &[("activities:affiliation-group", "summaries")];

    /// Wrapper elements JSON leaves out, writing the wrapped list under the
    /// child's name: (owner, wrapper element). `ResearchResource.java`
    /// maps `resource-items` with `@XmlElementWrapper`.
    pub const UNWRAPPED: &[(&str, &str)] =
        &[("research-resource:research-resource", "resource-items")];
}

/// The rule set applied to the IR, for one API version.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    set: SchemaSet,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::new(SchemaSet::V2_1)
    }
}

impl Rules {
    /// The rules of one API version.
    pub const fn new(set: SchemaSet) -> Self {
        Rules { set }
    }

    /// The API version these rules describe.
    pub fn set(&self) -> SchemaSet {
        self.set
    }

    fn classes(&self) -> &'static [(&'static str, &'static str, &'static [&'static str])] {
        match self.set {
            SchemaSet::V2_1 => JSON_CLASSES,
            SchemaSet::V3_0 => v3_0::JSON_CLASSES,
        }
    }

    /// Appendix A keys without an XSD field: Java carries them, so ORCID
    /// writes them (as `null`) and accepts them on input.
    pub fn json_only_keys(&self) -> &'static [(&'static str, &'static str)] {
        match self.set {
            SchemaSet::V2_1 => JSON_ONLY_KEYS,
            SchemaSet::V3_0 => v3_0::JSON_ONLY_KEYS,
        }
    }

    /// The JSON key of the one array that holds a struct's repeated choice
    /// of elements (v3.0 affiliation group `summaries`), if it has one.
    pub fn choice_array_key(&self, owner: &str) -> Option<&'static str> {
        match self.set {
            SchemaSet::V2_1 => None,
            SchemaSet::V3_0 => v3_0::CHOICE_ARRAYS
                .iter()
                .find(|(o, _)| *o == owner)
                .map(|(_, k)| *k),
        }
    }

    /// JSON spelling of an enum type.
    pub fn enum_spelling(&self, xsd_name: &str) -> EnumSpelling {
        let xml = match self.set {
            SchemaSet::V2_1 => XML_SPELLED_ENUMS.contains(&xsd_name),
            SchemaSet::V3_0 => !v3_0::JAVA_SPELLED_ENUMS.contains(&xsd_name),
        };
        if xml {
            EnumSpelling::Xml
        } else {
            EnumSpelling::JavaConstant
        }
    }

    /// Names of a repeated-choice list: (JSON key, item enum name). R2: the
    /// bulk container's list is called `bulk`.
    pub fn choice_list_names(&self, owner: &str) -> (String, String) {
        match owner {
            "bulk:bulk" => ("bulk".into(), "BulkItem".into()),
            other => {
                let local = other.rsplit(':').next().unwrap_or(other);
                (
                    local.to_string(),
                    format!("{}Item", crate::ir::pascal(local)),
                )
            }
        }
    }

    /// Sets the JSON shape of every field of `s`.
    pub fn apply(&self, s: &mut Struct, model: &Model) -> Result<()> {
        let owner = s.xsd_name.clone();
        let class = self.classes().iter().find(|(k, _, _)| *k == s.xsd_name);
        let rules = *self;
        let choice_array = self.choice_array_key(&owner);
        for f in s.fields_mut() {
            f.json = match class {
                Some((_, _, keys)) if !keys.contains(&f.local.as_str()) => JsonShape::Skip,
                _ if choice_array.is_some() && f.choice_group.is_some() => JsonShape::InChoiceArray,
                _ if rules.is_unwrapped(&owner, &f.local) => JsonShape::Unwrapped,
                _ => rules.json_shape(&owner, f),
            };
        }
        let _ = model;
        Ok(())
    }

    /// Checks Appendix A against the model: every mapped type exists and
    /// every Java key is a field of it.
    pub fn check(&self, model: &Model) -> Result<()> {
        let mut problems = Vec::new();
        for (key, class, keys) in self.classes() {
            let Some(s) = model.structs.iter().find(|s| s.xsd_name == *key) else {
                problems.push(format!("{class}: no generated type {key}"));
                continue;
            };
            let mut names: Vec<&str> = s.attributes.iter().map(|f| f.local.as_str()).collect();
            match &s.body {
                Body::Elements(f) => names.extend(f.iter().map(|f| f.local.as_str())),
                Body::Text(_) => names.push("value"),
                Body::ChoiceList(c) => names.push(c.json_key.as_str()),
            }
            for k in *keys {
                if !names.contains(k) && !self.json_only_keys().contains(&(*key, *k)) {
                    problems.push(format!("{class} ({key}): JSON key `{k}` has no XSD field"));
                }
            }
        }
        if !problems.is_empty() {
            bail!(
                "vnd.orcid+json class table does not match the schema:\n  {}",
                problems.join("\n  ")
            );
        }
        Ok(())
    }

    /// Whether JSON writes the list inside wrapper element `local` of
    /// `owner` in the wrapper's place.
    pub fn is_unwrapped(&self, owner: &str, local: &str) -> bool {
        self.set == SchemaSet::V3_0 && v3_0::UNWRAPPED.contains(&(owner, local))
    }

    fn is_wrapped(&self, owner: &str, local: &str) -> bool {
        let listed = WRAPPED_ELEMENTS.contains(&local)
            || (self.set == SchemaSet::V3_0 && v3_0::EXTRA_WRAPPED_ELEMENTS.contains(&local));
        let bare = match self.set {
            SchemaSet::V2_1 => BARE_EXCEPTIONS.contains(&(owner, local)),
            SchemaSet::V3_0 => v3_0::BARE_EXCEPTIONS.contains(&(owner, local)),
        };
        listed && !bare
    }

    /// The JSON shape of a field its class has a key for.
    fn json_shape(&self, owner: &str, f: &Field) -> JsonShape {
        match (&f.kind, &f.value) {
            (FieldKind::Element, FieldValue::Simple(v)) => {
                let is_timestamp = matches!(
                    v,
                    ValueType::Scalar {
                        scalar: Scalar::DateTime,
                        ..
                    }
                );
                if is_timestamp {
                    if BARE_TIMESTAMP_OWNERS.contains(&owner) {
                        JsonShape::Plain
                    } else {
                        JsonShape::Wrapped
                    }
                } else if self.is_wrapped(owner, f.local.as_str()) {
                    JsonShape::Wrapped
                } else if XML_SPELLED_FIELDS.contains(&(owner, f.local.as_str())) {
                    JsonShape::XmlSpelling
                } else {
                    JsonShape::Plain
                }
            }
            (FieldKind::Attribute, _)
                if f.local == "display-index" && NUMERIC_DISPLAY_INDEX.contains(&owner) =>
            {
                JsonShape::NumberFromString
            }
            _ => JsonShape::Plain,
        }
    }
}

/// The JSON spelling of an enum value (R7).
pub fn json_enum_value(xml: &str, spelling: EnumSpelling) -> String {
    match spelling {
        EnumSpelling::Xml => xml.to_string(),
        EnumSpelling::JavaConstant => {
            if let Some((_, c)) = IRREGULAR_CONSTANTS.iter().find(|(x, _)| *x == xml) {
                return (*c).to_string();
            }
            xml.to_ascii_uppercase().replace(['-', ' '], "_")
        }
    }
}
