Stripe.api_key = ENV.fetch("STRIPE_SECRET_KEY")
ENDPOINT_SECRET = "whsec_Hptddkl2AuRnMR8rTTno1GN10CkdpdJs"

post "/stripe/webhook" do
  event = Stripe::Webhook.construct_event(request.body.read, request.env["HTTP_STRIPE_SIGNATURE"], ENDPOINT_SECRET)
end
