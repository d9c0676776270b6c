# frozen_string_literal: true

require_relative "polyglot_sdk/version"
