Pod::Spec.new do |s|
  s.name         = 'PolyglotSdk'
  s.version      = '1.5.0-beta.1'
  s.summary      = 'Swift bindings of the polyglot SDK.'
  s.homepage     = 'https://example.com/polyglot-sdk'
  s.license      = { :type => 'MIT' }
  s.author       = 'Polyglot SDK authors'
  s.source       = { :git => 'https://example.com/polyglot-sdk.git', :tag => "v#{s.version}" }
  s.swift_version = '5.9'
  s.source_files = 'Sources/**/*.swift'
end
