//! Every integration test of the portal, in one test binary: each file of this folder is a
//! module with the tests of one area, all on `common::TestApp` (the real portal on port 0 with
//! a fresh database of its own, SQLite or PostgreSQL by `TEST_DATABASE`). One binary links the
//! portal once instead of once per area, which keeps the build's time and disk in bounds. The
//! load-like tests (`../concurrency.rs`) keep a binary of their own: one server per process,
//! as in production, with no other test's requests beside theirs.
//! Run one area with `cargo test -p frontend --features ssr --test all review::`.
#![allow(clippy::unwrap_used)]

mod common;

mod accounts;
mod awards;
mod authz;
mod calendar;
mod database;
mod filing;
mod jobs;
mod pages;
mod portal;
mod program_editor;
mod registry;
mod review;
mod security;
