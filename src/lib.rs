//! credence: batch credibility audit of news articles.
//!
//! Data flows one way: `input` reads records into articles, `text` segments
//! each body, `analyze` finds attributions, hedges, claims and findings,
//! `verify` checks figures against a newsroom's reference facts, `link`
//! compares figures across the batch, `score` turns findings into article
//! and source scores, and `report` writes
//! them out. `pipeline` runs the per-article part in parallel; `cli` is the
//! command line.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analyze;
pub mod cli;
pub mod eval;
pub mod input;
pub mod link;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod score;
pub mod stage;
pub mod text;
pub mod verify;
