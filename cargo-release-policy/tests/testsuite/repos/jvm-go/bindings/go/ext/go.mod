module example.com/acme/sdk/bindings/go/ext

go 1.22

require (
	example.com/acme/sdk/go v1.6.0
	golang.org/x/text v1.6.0 // not ours: the same number by chance
)

replace example.com/acme/sdk/go => ../../../go
