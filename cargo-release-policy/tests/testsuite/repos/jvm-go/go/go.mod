module example.com/acme/sdk/go

go 1.22
