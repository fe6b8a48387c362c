//! Dev-only helpers shared by the integration tests of the workspace's
//! crates (in the spirit of rust-analyzer's `test-utils`).
//!
//! - [`paths`]: the workspace root, the data shared between worktrees
//!   (`../shared`), the synced schema cache, fixtures, and tree copies.
//! - [`samples`]: ORCID's v2.1 upstream samples, the ones with known
//!   issues, and the benches' work and bulk inputs.
//! - [`hostile`]: generated hostile inputs (deep, wide) for the limits' tests.
//! - [`optional`]: tests that need an outside program, Python package or
//!   shared data: skipped with a note, or required (`<VAR>=require`).
//! - [`payloads`]: item payloads several crates' tests send (v3.0).
//! - [`http`]: a ureq agent that reports every status, a read response,
//!   query parameters, and a tiny canned HTTP server that records requests.
//! - `mock` (feature `mock`): the ORCID mock with the demo client and
//!   researcher, clients pointed at it, and a researcher connected through
//!   the OAuth authorize and code exchange.
//!
//! No library crate depends on this one: it is only ever a
//! `[dev-dependencies]` entry, and it panics freely, as tests do.

pub mod hostile;
pub mod http;
#[cfg(feature = "mock")]
pub mod mock;
pub mod optional;
pub mod paths;
pub mod payloads;
pub mod samples;
