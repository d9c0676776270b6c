//! The policy table.
