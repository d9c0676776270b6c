pub fn cli() { sdk_core::sdk() }
