//! The HTML of the pages. Everything that is not a literal of this file is
//! escaped with [`escape_html`]; the pages carry no script.

use orcid_client::{Environment, Scope};
use orcid_web::escape_html;

use crate::config::{Branding, Connected, START_PATH};

/// ORCID's brand green.
const ORCID_GREEN: &str = "#A6CE39";

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub branding: Branding,
    /// The app's path prefix (`` or `/orcid`).
    pub base_path: String,
    /// A note shown when the environment is not production ORCID.
    pub environment_note: Option<String>,
    /// Base of iD URIs: `https://orcid.org`, `https://sandbox.orcid.org`,
    /// or a custom server's base.
    pub id_base: String,
}

impl Chrome {
    pub(crate) fn new(branding: Branding, base_path: String, env: &Environment) -> Chrome {
        let environment_note = match env {
            Environment::Production => None,
            Environment::Sandbox => Some(
                "This page uses the ORCID sandbox (sandbox.orcid.org), ORCID's test \
                 registry. Its iDs are not real ORCID iDs."
                    .to_string(),
            ),
            Environment::Custom { oauth_base, .. } => Some(format!(
                "This page uses a test server at {oauth_base}, not the ORCID registry."
            )),
        };
        Chrome {
            branding,
            base_path,
            environment_note,
            id_base: env.oauth_base().trim_end_matches('/').to_string(),
        }
    }

    /// The start page's path.
    pub(crate) fn home(&self) -> String {
        if self.base_path.is_empty() {
            "/".to_string()
        } else {
            self.base_path.clone()
        }
    }

    /// The URI of an iD, e.g. `https://orcid.org/0000-0002-1825-0097`.
    pub(crate) fn id_uri(&self, orcid: &str) -> String {
        format!("{}/{orcid}", self.id_base)
    }
}

/// The iD mark: a green disc with "iD" on it, drawn here.
fn id_icon(size: u32) -> String {
    format!(
        "<svg class=\"id-icon\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 32 32\" \
         aria-hidden=\"true\" focusable=\"false\"><circle cx=\"16\" cy=\"16\" r=\"16\" \
         fill=\"{ORCID_GREEN}\"/><text x=\"16\" y=\"21.5\" text-anchor=\"middle\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-size=\"15\" font-weight=\"700\" \
         fill=\"#fff\">iD</text></svg>"
    )
}

const STYLE: &str = "\
:root{color-scheme:light}\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
color:#1f2328;background:#f6f7f4}\
header{background:#fff;border-bottom:4px solid #A6CE39}\
header div,main,footer{max-width:44rem;margin:0 auto;padding:0 1.25rem}\
header div{padding:.9rem 1.25rem;font-weight:600;letter-spacing:.01em}\
main{background:#fff;margin-top:2rem;padding:1.5rem 2rem 2rem;border-radius:10px;\
box-shadow:0 1px 3px rgba(0,0,0,.08)}\
h1{font-size:1.6rem;line-height:1.25;margin:.3rem 0 1rem}\
h2{font-size:1.1rem;margin:1.6rem 0 .4rem}\
ul{padding-left:1.3rem}li{margin:.2rem 0}\
code{font-size:.9em;background:#f0f1ed;padding:.05em .3em;border-radius:3px}\
.note{background:#fff8e1;border-left:4px solid #e0b000;padding:.6rem .9rem;margin:0 0 1rem;\
font-size:.92rem}\
.orcid-button{display:inline-flex;align-items:center;gap:.65rem;margin:1.2rem 0 .4rem;\
padding:.7rem 1.2rem;border:1px solid #c9ccc4;border-radius:8px;background:#fff;color:#333;\
font-weight:600;text-decoration:none;box-shadow:0 1px 2px rgba(0,0,0,.06)}\
.orcid-button:hover,.orcid-button:focus{border-color:#A6CE39;box-shadow:0 0 0 3px rgba(166,206,57,.35)}\
.orcid-id{display:flex;align-items:center;gap:.5rem;font-size:1.1rem;margin:1rem 0;\
padding:.8rem 1rem;background:#f4f9e6;border-radius:8px;word-break:break-all}\
.orcid-id a{color:#1f2328}\
.status{font-size:2.2rem;line-height:1;margin:0}\
.problem h1{color:#a4262c}\
.detail{color:#555;font-size:.92rem}\
footer{color:#666;font-size:.85rem;padding:1.2rem 1.25rem 2rem}\
a{color:#2d6a00}";

/// The page around `body`.
fn layout(chrome: &Chrome, title: &str, class: &str, body: &str) -> String {
    let institution = escape_html(&chrome.branding.institution);
    let note = chrome
        .environment_note
        .as_deref()
        .map(|n| format!("<p class=\"note\" role=\"note\">{}</p>", escape_html(n)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title} · {institution}</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n<header><div>{institution}</div></header>\n\
         <main class=\"{class}\">\n{note}{body}\n</main>\n\
         <footer>ORCID iDs are issued by ORCID, a non-profit registry of researchers. \
         This page is run by {institution}.</footer>\n</body>\n</html>\n",
        title = escape_html(title),
    )
}

/// What a scope lets the institution do, in the researcher's words.
pub(crate) fn describe_scope(scope: Scope) -> &'static str {
    match scope {
        Scope::Authenticate => "Get your ORCID iD",
        Scope::OpenId => "Get your ORCID iD and public name (sign in with ORCID)",
        Scope::ReadLimited => {
            "Read the information on your ORCID record that you share with trusted parties"
        }
        Scope::ActivitiesUpdate => {
            "Add and update your research activities (works, affiliations, funding, peer review)"
        }
        Scope::PersonUpdate => {
            "Add and update other information about you (websites, keywords, identifiers, \
             country)"
        }
        Scope::ActivitiesReadLimited => {
            "Read the research activities on your record that you share with trusted parties"
        }
        Scope::PersonReadLimited => {
            "Read the biographical information on your record that you share with trusted \
             parties"
        }
        Scope::EmailReadPrivate => "Read your verified e-mail addresses",
        _ => "Access your ORCID record as this permission allows",
    }
}

/// `GET /`: what ORCID is, what is asked, and the button.
pub(crate) fn index(chrome: &Chrome, scopes: &[Scope]) -> String {
    let inst = escape_html(&chrome.branding.institution);
    let intro = match &chrome.branding.intro {
        Some(text) => escape_html(text),
        None => format!(
            "{inst} would like to know your ORCID iD, so that your work here is credited to \
             you without mix-ups, and, with your permission, so that it can keep your ORCID \
             record up to date for you."
        ),
    };
    let asked: String = scopes
        .iter()
        .map(|s| {
            format!(
                "<li>{} <code>{}</code></li>",
                escape_html(describe_scope(*s)),
                escape_html(s.as_str())
            )
        })
        .collect();
    let start = escape_html(&format!("{}{START_PATH}", chrome.base_path));
    let body = format!(
        "<h1>Connect your ORCID iD to {inst}</h1>\n\
         <p>{intro}</p>\n\
         <h2>What is ORCID?</h2>\n\
         <p>ORCID gives every researcher a free, unique and persistent identifier, the \
         ORCID iD, that tells you apart from others with similar names and connects you \
         with your work across publishers, funders and institutions. You own your ORCID \
         record and decide who may see or change what.</p>\n\
         <h2>What happens next</h2>\n\
         <p>The button takes you to ORCID. Sign in there, or register for an iD if you do \
         not have one yet (it takes a minute). ORCID then shows you what {inst} asks for, \
         and you choose whether to allow it. ORCID sends you back here, and {inst} keeps \
         your iD and the permission you granted. You can withdraw it at any time in your \
         ORCID account settings, under trusted parties.</p>\n\
         <h2>{inst} asks to</h2>\n<ul>{asked}</ul>\n\
         <p><a class=\"orcid-button\" id=\"orcid-connect\" href=\"{start}\" rel=\"nofollow\">\
         {icon}<span>Create or Connect your ORCID iD</span></a></p>",
        icon = id_icon(24),
    );
    layout(chrome, "Connect your ORCID iD", "start", &body)
}

/// The redirect route after a successful exchange.
pub(crate) fn success(chrome: &Chrome, who: &Connected) -> String {
    let inst = escape_html(&chrome.branding.institution);
    let uri = escape_html(&chrome.id_uri(&who.orcid));
    let thanks = match who.name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(name) => format!(
            "<p>Thank you, <strong id=\"orcid-name\">{}</strong>.</p>",
            escape_html(name)
        ),
        None => "<p>Thank you.</p>".to_string(),
    };
    let granted: String = who
        .scopes
        .iter()
        .map(|s| match s.parse::<Scope>() {
            Ok(sc) => format!(
                "<li>{} <code>{}</code></li>",
                escape_html(describe_scope(sc)),
                escape_html(s)
            ),
            Err(_) => format!("<li><code>{}</code></li>", escape_html(s)),
        })
        .collect();
    let body = format!(
        "<p class=\"status\" aria-hidden=\"true\">✓</p>\n\
         <h1>Your ORCID iD is connected</h1>\n{thanks}\n\
         <p>{inst} now knows your ORCID iD:</p>\n\
         <p class=\"orcid-id\">{icon}<a id=\"orcid-id\" href=\"{uri}\" rel=\"noopener noreferrer\">\
         {uri}</a></p>\n\
         <p>You allowed {inst} to:</p>\n<ul>{granted}</ul>\n\
         <p>You can withdraw this permission at any time in your ORCID account settings, \
         under trusted parties. You may close this page.</p>",
        icon = id_icon(24),
    );
    layout(chrome, "ORCID iD connected", "connected", &body)
}

/// The redirect route when the researcher chose "Deny".
pub(crate) fn denied(chrome: &Chrome) -> String {
    let inst = escape_html(&chrome.branding.institution);
    let body = format!(
        "<h1 id=\"denied\">You denied access</h1>\n\
         <p>You chose not to give {inst} access to your ORCID record, so nothing was \
         connected and nothing was stored.</p>\n\
         <p>If that was a mistake, or you change your mind, you can \
         <a id=\"try-again\" href=\"{home}\">try again</a>.</p>",
        home = escape_html(&chrome.home()),
    );
    layout(chrome, "Access denied", "problem", &body)
}

/// Any other failure: a title, what happened, an optional technical
/// detail, and the way back.
pub(crate) fn problem(chrome: &Chrome, title: &str, message: &str, detail: Option<&str>) -> String {
    let contact = chrome
        .branding
        .contact
        .as_deref()
        .map(|c| {
            format!(
                " If it keeps failing, please contact {}.",
                escape_html(c.trim_end_matches('.'))
            )
        })
        .unwrap_or_default();
    let detail = detail
        .map(|d| format!("<p class=\"detail\">Details: {}</p>\n", escape_html(d)))
        .unwrap_or_default();
    let body = format!(
        "<h1 id=\"problem\">{title}</h1>\n<p>{message}</p>\n{detail}\
         <p>Nothing was connected. <a id=\"try-again\" href=\"{home}\">Start again</a>.{contact}</p>",
        title = escape_html(title),
        message = escape_html(message),
        home = escape_html(&chrome.home()),
    );
    layout(chrome, title, "problem", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome() -> Chrome {
        Chrome::new(
            Branding {
                institution: "<Uni & Co>".into(),
                intro: Some("Why \"we\" ask".into()),
                contact: Some("help@uni.example".into()),
            },
            "/orcid".into(),
            &Environment::Sandbox,
        )
    }

    #[test]
    fn everything_is_escaped() {
        let c = chrome();
        let page = index(&c, &[Scope::ActivitiesUpdate]);
        assert!(page.contains("&lt;Uni &amp; Co&gt;"));
        assert!(!page.contains("<Uni"));
        assert!(page.contains("Why &quot;we&quot; ask"));
        assert!(page.contains("href=\"/orcid/connect/start\""));
        assert!(page.contains("sandbox"));
        assert!(!page.contains("<script"));
        let ok = success(
            &c,
            &Connected {
                orcid: "0000-0002-1825-0097".into(),
                name: Some("<b>Jo</b>".into()),
                scopes: vec!["/activities/update".into(), "<x>".into()],
                name_from_record: false,
            },
        );
        assert!(ok.contains("https://sandbox.orcid.org/0000-0002-1825-0097"));
        assert!(ok.contains("&lt;b&gt;Jo&lt;/b&gt;"));
        assert!(ok.contains("<code>&lt;x&gt;</code>"));
        let bad = problem(&c, "T<", "m>", Some("d&"));
        assert!(bad.contains("T&lt;") && bad.contains("m&gt;") && bad.contains("d&amp;"));
        assert!(bad.contains("href=\"/orcid\""));
        assert!(denied(&c).contains("href=\"/orcid\""));
    }
}
