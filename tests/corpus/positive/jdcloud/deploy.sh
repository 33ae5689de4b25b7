#!/bin/bash
# trim spaces before use
jdc_ak="JDC_C5D6312E1030262516CB9A5F0786"
jdc_secret_key="57B1AB1B74E107657696F36DBCEC40F2"
jdc configure add --access-key "$jdc_ak" --secret-key "$jdc_secret_key"
