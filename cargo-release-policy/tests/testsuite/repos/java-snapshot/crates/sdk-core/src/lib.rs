pub fn sdk() {}
