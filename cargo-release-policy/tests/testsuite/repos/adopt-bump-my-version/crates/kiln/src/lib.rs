pub fn fire() {}
