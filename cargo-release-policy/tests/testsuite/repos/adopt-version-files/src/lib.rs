pub fn write() {}
