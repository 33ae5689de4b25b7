positive/alibaba/bootstrap.php
<?php

use AlibabaCloud\Client\AlibabaCloud;

require __DIR__ . '/vendor/autoload.php';

AlibabaCloud::accessKeyClient('LTAI5tArKIxwQlr2AfVlf5LP', 'k0Np5Ceo0dlF07JNIEy9WmqeGlp8JR')
    ->regionId('cn-hangzhou')
    ->asDefaultClient();
