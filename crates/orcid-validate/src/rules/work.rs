//! Works (`docs/orcid-api.md` §5.1 and §5.4, `ActivityValidator#validateWork`).

use std::sync::LazyLock;

use orcid_model::v2_1::work::Work;
use regex::Regex;

use super::common::{check_date, check_external_ids, is_blank, show, DateParts, Sink, BOTH};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

const WORK: &[Root] = &[Root::WorkWork, Root::BulkBulk];

/// A work's title must not be empty.
///
/// `docs/orcid-api.md` §5.1 (a non-empty title is required, 9022) and §4.2.
pub const TITLE_REQUIRED: Rule = Rule {
    id: "orcid.work.title-required",
    orcid_code: 9022,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A work needs a non-empty `title/title`; ORCID answers \"A title is required\".",
    hint: "put the work's title in <work:title><common:title>…</common:title></work:title>",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.1, §4.2 (9022); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// A work needs a type.
///
/// `docs/orcid-api.md` §5.1 (`work:type` is required, 9037). The 2.1 XSD
/// makes `work:type` required and enumerated, so the typed model refuses a
/// work without one.
pub const TYPE_REQUIRED: Rule = Rule {
    id: "orcid.work.type-required",
    orcid_code: 9037,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A work needs a `type` from ORCID's work-type list; ORCID answers \"Invalid \
              work type, valid values are: …\".",
    hint: "add <work:type>journal-article</work:type> (JSON \"type\": \"JOURNAL_ARTICLE\") \
           or another work type",
    severity: Severity::Error,
    model_enforced: true,
    reference: "docs/orcid-api.md §5.1, §4.2 (9037); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// A translated title's language code without the translated title.
///
/// `docs/orcid-api.md` §5.1 (a language code without a translated title is 9020)
/// (`ActivityValidator#validateWork`: "Please specify a translated title or
/// remove the language code"). Works only: ORCID skips the check for
/// fundings when the translated title is empty.
pub const TRANSLATED_TITLE_EMPTY: Rule = Rule {
    id: "orcid.work.translated-title-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A work's `translated-title` with a `language-code` but no text; ORCID answers \
              \"Please specify a translated title or remove the language code\".",
    hint: "write the translated title, or remove the translated-title element",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.1; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// A citation needs its type.
///
/// `docs/orcid-api.md` §5.1 (a citation needs a `citation-type`, 9037). The 2.1
/// XSD makes `citation-type` required in `citation`, so the typed model
/// refuses a citation without one.
pub const CITATION_TYPE_REQUIRED: Rule = Rule {
    id: "orcid.work.citation-type-required",
    orcid_code: 9037,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A work's `citation` needs a `citation-type`; ORCID answers \"Invalid citation \
              type, valid values are: …\".",
    hint: "add <work:citation-type>bibtex</work:citation-type> (or formatted-apa, \
           formatted-unspecified, …) before citation-value",
    severity: Severity::Error,
    model_enforced: true,
    reference: "docs/orcid-api.md §5.1; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// A citation must not be empty.
///
/// `docs/orcid-api.md` §5.1 (an empty citation is 9020: "Please specify a citation or remove
/// the parent tag").
pub const CITATION_EMPTY: Rule = Rule {
    id: "orcid.work.citation-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A work's `citation/citation-value` must not be empty; ORCID answers \"Please \
              specify a citation or remove the parent tag\".",
    hint: "put the citation text in citation-value, or remove the citation element",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.1; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// A contributor's ORCID iD path must have the iD form.
///
/// `docs/orcid-api.md` §5.4: `path` must match `\d{4}-\d{4}-\d{4}-\d{3}[\dX]`
/// (no checksum check), else 9020 (`OrcidStringUtils#isValidOrcid`). Narrower
/// than the XSD's `(\d{4}-){3,}\d{3}[\dX]`.
pub const CONTRIBUTOR_ORCID_PATH: Rule = Rule {
    id: "orcid.work.contributor-orcid-path",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A contributor's `contributor-orcid/path` must be a bare ORCID iD \
              (`0000-0002-1825-0097`); ORCID answers \"Invalid contributor ORCID\".",
    hint: "give the 16-character iD in 4 groups (dddd-dddd-dddd-dddX) without URL prefix",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.4; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork); ORCID-Source \
                orcid-utils/src/main/java/org/orcid/utils/OrcidStringUtils.java (isValidOrcid)",
};

/// A contributor's ORCID iD URI must be an ORCID URI.
///
/// `docs/orcid-api.md` §5.4: `contributor-orcid/uri` must match the ORCID URI
/// pattern, else 9020 (`OrcidStringUtils#isValidOrcidUri`:
/// `(http|https)://([^/]*orcid\.org|localhost.*/orcid-web)/(\d{4}-){3,}\d{3}[\dX]`).
pub const CONTRIBUTOR_ORCID_URI: Rule = Rule {
    id: "orcid.work.contributor-orcid-uri",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A contributor's `contributor-orcid/uri` must be an ORCID URI \
              (`https://orcid.org/0000-0002-1825-0097`); ORCID answers \"Invalid \
              contributor URI\".",
    hint: "write the uri as https://orcid.org/ followed by the iD (sandbox: \
           https://sandbox.orcid.org/…)",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.4; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork); ORCID-Source \
                orcid-utils/src/main/java/org/orcid/utils/OrcidStringUtils.java (isValidOrcidUri)",
};

/// An empty credit-name.
///
/// `docs/orcid-api.md` §5.4: an empty `credit-name` is 9020 ("Please specify a
/// contributor credit name or remove the empty tag").
pub const CONTRIBUTOR_CREDIT_NAME_EMPTY: Rule = Rule {
    id: "orcid.work.contributor-credit-name-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A contributor's `credit-name` must not be empty; ORCID answers \"Please \
              specify a contributor credit name or remove the empty tag\".",
    hint: "write the contributor's name, or remove the empty credit-name element",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.4; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

/// An empty contributor-email.
///
/// `docs/orcid-api.md` §5.4: an empty `contributor-email` is 9020 ("Please specify a
/// contributor email or remove the empty tag").
pub const CONTRIBUTOR_EMAIL_EMPTY: Rule = Rule {
    id: "orcid.work.contributor-email-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    operations: BOTH,
    summary: "A contributor's `contributor-email` must not be empty; ORCID answers \
              \"Please specify a contributor email or remove the empty tag\".",
    hint: "write the e-mail address, or remove the empty contributor-email element",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.4; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork)",
};

static ORCID_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{4}-){3}[0-9]{3}[0-9X]$").expect("valid regex"));
static ORCID_URI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:http|https)://(?:[^/]*orcid\.org|localhost.*/orcid-web)/(?:[0-9]{4}-){3,}[0-9]{3}[0-9X]$")
        .expect("valid regex")
});
thread_local! {
    // Each thread matches with a clone: a Regex used by several threads at
    // once hands out its match caches under a lock.
    static ORCID_PATH_HERE: Regex = ORCID_PATH.clone();
    static ORCID_URI_HERE: Regex = ORCID_URI.clone();
}

/// Checks a work at `at` (the document root, or `bulk/<i>/work`).
pub(crate) fn check_work(sink: &mut Sink, ctx: &Context, w: &Work, at: &NodePath) {
    item::check_envelope(sink, ctx, w.put_code, w.visibility, at);

    let title = at.key("title");
    if is_blank(&w.title.title) {
        sink.push(
            &TITLE_REQUIRED,
            title.key("title"),
            "the work's title is empty".to_string(),
        );
    }
    if let Some(tt) = &w.title.translated_title {
        if is_blank(&tt.value) {
            sink.push(
                &TRANSLATED_TITLE_EMPTY,
                title.key("translated-title"),
                format!(
                    "translated-title has language-code `{}` but no text",
                    tt.language_code.as_xml()
                ),
            );
        }
    }
    if let Some(c) = &w.citation {
        if is_blank(&c.citation_value) {
            sink.push(
                &CITATION_EMPTY,
                at.key("citation").key("citation-value"),
                format!(
                    "citation-value is empty (citation-type `{}`)",
                    c.citation_type.as_xml()
                ),
            );
        }
    }
    if let Some(d) = &w.publication_date {
        check_date(
            sink,
            DateParts::of_publication(d),
            &at.key("publication-date"),
        );
    }
    check_external_ids(
        sink,
        w.external_ids.as_ref(),
        &at.key("external-ids"),
        at,
        true,
    );
    if let Some(cs) = &w.contributors {
        for (i, c) in cs.contributor.iter().enumerate() {
            let cp = at.key("contributors").key("contributor").index(i);
            if let Some(o) = &c.contributor_orcid {
                let op = cp.key("contributor-orcid");
                if let Some(uri) = o.uri.as_deref() {
                    if !is_blank(uri) && !ORCID_URI_HERE.with(|re| re.is_match(uri)) {
                        sink.push(
                            &CONTRIBUTOR_ORCID_URI,
                            op.key("uri"),
                            format!("contributor-orcid uri {} is not an ORCID URI", show(uri)),
                        );
                    }
                }
                if let Some(path) = &o.path {
                    let p = path.as_str();
                    if !is_blank(p) && !ORCID_PATH_HERE.with(|re| re.is_match(p)) {
                        sink.push(
                            &CONTRIBUTOR_ORCID_PATH,
                            op.key("path"),
                            format!(
                                "contributor-orcid path {} is not an ORCID iD \
                                 (dddd-dddd-dddd-dddX)",
                                show(p)
                            ),
                        );
                    }
                }
            }
            if c.credit_name.as_deref().is_some_and(is_blank) {
                sink.push(
                    &CONTRIBUTOR_CREDIT_NAME_EMPTY,
                    cp.key("credit-name"),
                    format!("contributor {} has an empty credit-name", i + 1),
                );
            }
            if c.contributor_email.as_deref().is_some_and(is_blank) {
                sink.push(
                    &CONTRIBUTOR_EMAIL_EMPTY,
                    cp.key("contributor-email"),
                    format!("contributor {} has an empty contributor-email", i + 1),
                );
            }
        }
    }
}
