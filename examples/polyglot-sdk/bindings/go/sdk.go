// Package sdk is the Go binding of the polyglot SDK (cgo over crates/sdk-core).
package sdk

// Version is the SDK's version; Go reads the module's from its tag, bindings/go/vX.Y.Z.
const Version = "1.4.0"
