pub fn glow() {}
