const sgMail = require("@sendgrid/mail");
sgMail.setApiKey("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");

const mailgun = require("mailgun-js")({ apiKey: "key-067fdbf26524d1a044570e51a97fa061", domain: "mg.acme.dev" });
const mailchimp = { apiKey: "7b7eeedefd7ebdc70dc204078840ed37-us14", server: "us14" };
