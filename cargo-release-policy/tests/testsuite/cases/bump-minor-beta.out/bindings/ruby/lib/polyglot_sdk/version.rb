# frozen_string_literal: true

module PolyglotSdk
  VERSION = "1.5.0.beta.1"
end
