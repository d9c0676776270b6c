module example.com/polyglot-sdk/bindings/go

go 1.19
