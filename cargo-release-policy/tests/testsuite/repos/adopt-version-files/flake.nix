{
  description = "quill";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: {
    packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.rustPlatform.buildRustPackage {
      pname = "quill";
      version = "2.4.0-beta.1";
      src = ./.;
      cargoLock.lockFile = ./Cargo.lock;
    };
  };
}
