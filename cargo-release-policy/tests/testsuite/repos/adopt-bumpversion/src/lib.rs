pub fn burn() {}
