positive/tokens/stripe.rb
require 'stripe'
Stripe.api_key = 'sk_live_s1GPddL7GT5rVyNeb8htEVbs'
Stripe::Charge.list(limit: 3)
