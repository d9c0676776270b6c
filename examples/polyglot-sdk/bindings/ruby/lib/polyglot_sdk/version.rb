# frozen_string_literal: true

module PolyglotSdk
  VERSION = "1.4.0"
end
