DATABASES = {"default": dj_database_url.parse("mysql://shop:6AVHtlL1E.bTLwpeG6PK@10.12.0.40:3306/shop")}
MONGO_URI = "mongodb+srv://etl:s7kKmh3ngcGZRZbWqcpx@cluster0.x1y2z.mongodb.net/warehouse?retryWrites=true"
LOCAL_MONGO = "mongodb://root:p1w6BmLpsGO62PxO@localhost:27017/"
