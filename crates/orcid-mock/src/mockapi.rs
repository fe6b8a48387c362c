//! The mock's own control API (`/mock/*`) and request counting (the
//! request log is `orcid_web`'s serve loop).

use axum::extract::{Path, Request, State};
use axum::middleware::Next;
use axum::response::{Html, Response};

use crate::config::{FaultConfig, RateLimitConfig};
use crate::http::{json_response, oauth_error};
use crate::MockState;
use orcid_web::escape_html;

/// `GET /healthz`: liveness; the server answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: readiness; 200 `ready` when the state can be read
/// ([`MockState::ready`]), 503 with the reason otherwise.
pub async fn readyz(State(state): State<MockState>) -> Response {
    use axum::response::IntoResponse;
    match state.ready() {
        Ok(()) => "ready".into_response(),
        Err(why) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
    }
}

/// Counts every OAuth and API request (see [`crate::RequestCounts`]).
pub async fn count_requests(State(state): State<MockState>, req: Request, next: Next) -> Response {
    state.count_request(req.method());
    next.run(req).await
}

/// `GET /mock/requests`: the request counters as JSON.
pub async fn get_requests(State(state): State<MockState>) -> Response {
    json_response(
        200,
        &serde_json::to_value(state.request_counts()).unwrap_or_default(),
    )
}

/// `DELETE /mock/requests`: the counters back to zero.
pub async fn reset_requests(State(state): State<MockState>) -> Response {
    state.reset_request_counts();
    json_response(
        200,
        &serde_json::to_value(state.request_counts()).unwrap_or_default(),
    )
}

/// `DELETE /mock/records/{orcid}/items/{put_code}`: the researcher deletes
/// an item in ORCID's user interface (any source); 204, or 404 if there is
/// no such item on the record.
pub async fn delete_item_as_researcher(
    State(state): State<MockState>,
    Path((orcid, put_code)): Path<(String, i64)>,
) -> Response {
    match state.delete_item_as_researcher(&orcid, put_code) {
        Some(_) => Response::builder()
            .status(204)
            .body(axum::body::Body::empty())
            .unwrap_or_default(),
        None => json_response(
            404,
            &serde_json::json!({"error": "no such item on the record"}),
        ),
    }
}

/// `GET /`: a small page about the server.
pub async fn index(State(state): State<MockState>) -> Html<String> {
    let base = state.base_url(&Default::default());
    Html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ORCID mock</title></head>\
         <body><h1>ORCID mock</h1><pre>{}</pre></body></html>",
        escape_html(&crate::banner(&state, &base))
    ))
}

/// `GET /mock/inbox/{orcid}`: the researcher's notifications as JSON.
pub async fn inbox(State(state): State<MockState>, Path(orcid): Path<String>) -> Response {
    if state.researcher(&orcid).is_none() {
        return json_response(404, &serde_json::json!({"error": "unknown ORCID iD"}));
    }
    let list = state.inbox(&orcid);
    json_response(200, &serde_json::to_value(list).unwrap_or_default())
}

/// `GET /mock/faults`.
pub async fn get_faults(State(state): State<MockState>) -> Response {
    json_response(
        200,
        &serde_json::to_value(state.faults()).unwrap_or_default(),
    )
}

/// `POST /mock/faults` with a [`FaultConfig`] as JSON: replaces the faults.
pub async fn set_faults(State(state): State<MockState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<FaultConfig>(&body) {
        Ok(f) => {
            state.set_faults(f);
            json_response(
                200,
                &serde_json::to_value(state.faults()).unwrap_or_default(),
            )
        }
        Err(e) => oauth_error(400, "invalid_request", &e.to_string()),
    }
}

/// `DELETE /mock/faults`: no faults.
pub async fn clear_faults(State(state): State<MockState>) -> Response {
    state.set_faults(FaultConfig::default());
    json_response(
        200,
        &serde_json::to_value(state.faults()).unwrap_or_default(),
    )
}

/// `GET /mock/rate-limit`.
pub async fn get_rate_limit(State(state): State<MockState>) -> Response {
    json_response(
        200,
        &serde_json::to_value(state.rate_limit()).unwrap_or_default(),
    )
}

/// `POST /mock/rate-limit` with a [`RateLimitConfig`] as JSON (missing
/// fields take ORCID's values).
pub async fn set_rate_limit(State(state): State<MockState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<RateLimitConfig>(&body) {
        Ok(r) if r.per_second > 0.0 => {
            state.set_rate_limit(r);
            json_response(
                200,
                &serde_json::to_value(state.rate_limit()).unwrap_or_default(),
            )
        }
        Ok(_) => oauth_error(400, "invalid_request", "per_second must be > 0"),
        Err(e) => oauth_error(400, "invalid_request", &e.to_string()),
    }
}

/// `GET /mock/researchers`: iDs and names (no passwords).
pub async fn researchers(State(state): State<MockState>) -> Response {
    let list: Vec<serde_json::Value> = state
        .researchers()
        .iter()
        .map(|r| {
            serde_json::json!({
                "orcid": r.profile.orcid,
                "name": r.display_name(),
                "email": r.profile.email,
                "claimed": r.profile.claimed,
                "default_visibility": r.profile.default_visibility,
            })
        })
        .collect();
    json_response(200, &serde_json::Value::Array(list))
}
