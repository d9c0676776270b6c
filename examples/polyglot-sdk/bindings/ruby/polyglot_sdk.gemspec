# frozen_string_literal: true

require_relative "lib/polyglot_sdk/version"

Gem::Specification.new do |spec|
  spec.name = "polyglot_sdk"
  spec.version = PolyglotSdk::VERSION
  spec.authors = ["Polyglot SDK authors"]
  spec.summary = "Ruby bindings of the polyglot SDK"
  spec.license = "MIT"
  spec.files = Dir["lib/**/*.rb"]
  spec.required_ruby_version = ">= 3.0"
end
