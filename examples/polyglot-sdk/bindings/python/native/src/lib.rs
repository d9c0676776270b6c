pub use sdk_core::greet;
