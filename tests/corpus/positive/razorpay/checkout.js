const Razorpay = require("razorpay");
const instance = new Razorpay({ key_id: "rzp_live_EcXLchaGhe85Ai", key_secret: "459jJFgHXvSgho7o5vzaLjuR" });
