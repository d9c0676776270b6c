pub fn hp() {}
