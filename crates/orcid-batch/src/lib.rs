//! Collections of documents for batch tools, and the ordered parallel
//! pipeline that runs them.
//!
//! A batch command (`orcid convert`, `orcid validate`) takes files,
//! directories and archives, works on every document on all cores, and
//! reports in input order, in memory that does not grow with the input:
//!
//! - [`documents_under`] lists the `.xml` and `.json` files under a
//!   directory, in name order ([`Walk`] says whether to read their sizes and
//!   which directory to leave out).
//! - [`for_each_member`] reads the documents of a `.tar`, `.tar.gz` or
//!   `.tgz` archive ([`ArchiveKind::of`]) as a stream, one member at a time,
//!   never extracting it. A member's path is the archive's word: use
//!   [`Member::relative`] (or [`safe_relative`]) before writing anywhere by
//!   it, so that `../` or an absolute path cannot leave a directory.
//! - [`ordered`] runs a function on every unit a producer hands out, on a
//!   [`pool`] of [`jobs`] threads, and gives back the results in production
//!   order; [`ordered_iter`] does the same for the units of an iterator on
//!   the current pool. Units go in batches bounded by count and by bytes
//!   ([`Weight`]).
//!
//! The crate knows files and bytes, not what the documents mean, nor the
//! terminal: parsing, checking, progress bars and messages are the
//! caller's.
//!
//! ```
//! use orcid_batch::{ordered, pool, Weight};
//!
//! /// A unit of work: a document's text.
//! struct Doc(String);
//!
//! impl Weight for Doc {
//!     fn weight(&self) -> u64 {
//!         self.0.len() as u64
//!     }
//! }
//!
//! let pool = pool(2)?;
//! let mut lengths = Vec::new();
//! ordered(
//!     &pool,
//!     |give| {
//!         for i in 0..100 {
//!             // `give` says `false` once the sink has stopped.
//!             if !give(Doc("x".repeat(i))) {
//!                 break;
//!             }
//!         }
//!     },
//!     |doc| doc.0.len(),
//!     |len| {
//!         lengths.push(len);
//!         true
//!     },
//! );
//! // In the order the documents were handed out, whichever thread was first.
//! assert_eq!(lengths, (0..100).collect::<Vec<_>>());
//! # Ok::<(), orcid_batch::Error>(())
//! ```

mod archive;
mod error;
mod pipeline;
mod walk;

pub use archive::{for_each_member, safe_relative, ArchiveKind, Member};
pub use error::Error;
pub use pipeline::{
    jobs, ordered, ordered_iter, pool, Weight, BATCH_BYTES, BATCH_PER_THREAD,
    FIRST_BATCH_PER_THREAD,
};
pub use walk::{documents_under, has_document_extension, DocumentFile, Walk};
