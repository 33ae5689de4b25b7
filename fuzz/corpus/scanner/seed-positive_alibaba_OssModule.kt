positive/alibaba/OssModule.kt
package com.acme.app.di

import com.aliyun.oss.OSSClientBuilder
import com.aliyun.oss.OSS

object OssModule {
    private const val ENDPOINT = "https://oss-cn-hangzhou.aliyuncs.com"
    private const val ACCESS_KEY_ID = "LTAI5tnQxGSV7VjEuBTmcXNe"
    private const val ACCESS_KEY_SECRET = "epA9RSup9Upgi4hyQL2Sg91COdAhK2"

    fun client(): OSS = OSSClientBuilder().build(ENDPOINT, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}
